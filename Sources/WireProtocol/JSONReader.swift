/// Reads one JSON text exactly as RFC 8259 defines it, for request lines.
///
/// Foundation's `JSONDecoder` is lenient where the protocol must be exact (issue 21): it accepts a
/// trailing comma, a byte-order mark, duplicate keys (the first wins), and reads `1e-400` as 0. This
/// reader accepts only the RFC's grammar, in UTF-8: no byte-order mark, no trailing comma, no comment,
/// no single quote, no leading zero, no `NaN`; a string must be valid UTF-8 without unescaped control
/// characters or unpaired surrogate escapes; an object must not repeat a name; a number must be finite
/// and, when its digits are not all zero, must not read as zero. Nesting is bounded.
///
/// A number whose value is a whole number that fits `Int64` becomes `.integer` (so `1.0` and `1e2` are
/// integers, as they were before); any other becomes `.number`. The text of every number is kept for
/// the caller that must know what was written (a request id is echoed exactly or refused).
struct JSONReader {
    /// Why the text was refused; `offset` is the byte where reading stopped.
    struct Failure: Error {
        enum Kind {
            /// Not JSON by RFC 8259 (or not UTF-8).
            case syntax
            /// JSON, but an object names one member twice; `name` is the member.
            case duplicateName(String)
            /// JSON, but nested deeper than the reader's bound.
            case tooDeep
        }

        var kind: Kind
        var message: String
        var offset: Int
    }

    /// The most arrays and objects one value may be nested in: far more than any request needs, far
    /// fewer than exhaust a stack or an encoder's own bound.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var index = 0
    /// The text of each number member of the outermost object, by name.
    private(set) var topLevelNumberTexts: [String: String] = [:]

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The value `text` holds, and the text of each number member of the outermost object.
    static func read(_ text: some Collection<UInt8>) throws(Failure) -> (value: JSONValue, numberTexts: [String: String]) {
        var reader = JSONReader(Array(text))
        if reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw reader.failure("a byte-order mark before the JSON; send UTF-8 without one")
        }
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw reader.failure("unexpected text after the JSON value") }
        return (value, reader.topLevelNumberTexts)
    }

    // MARK: - Grammar

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard let byte = peek() else { throw failure("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number().value
        default: throw failure("unexpected character \(Self.describe(byte)) where a value should be")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else {
            throw Failure(kind: .tooDeep, message: "nested deeper than \(Self.maximumDepth) levels", offset: index)
        }
        index += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in double quotes") }
            let nameOffset = index
            let name = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after the member name") }
            index += 1
            skipWhitespace()
            let member: JSONValue
            if depth == 1, let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                let (number, text) = try number()
                member = number
                topLevelNumberTexts[name] = text
            } else {
                member = try value(depth: depth)
            }
            guard members.updateValue(member, forKey: name) == nil else {
                throw Failure(kind: .duplicateName(name), message: "field '\(name)' appears twice", offset: nameOffset)
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw failure("a trailing comma before '}'") }
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default:
                throw failure("expected ',' or '}' after a member")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else {
            throw Failure(kind: .tooDeep, message: "nested deeper than \(Self.maximumDepth) levels", offset: index)
        }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "]") { throw failure("a trailing comma before ']'") }
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default:
                throw failure("expected ',' or ']' after an array element")
            }
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - index >= expected.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw failure("unexpected word; JSON's words are true, false and null")
        }
        index += expected.count
    }

    // MARK: - Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(Failure) -> (value: JSONValue, text: String) {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw failure("a number needs a digit after '-'") }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), Self.isDigit(next) {
            throw failure("a number must not start with a leading zero")
        }
        skipDigits()
        var isWhole = true
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw failure("a number needs a digit after '.'") }
            skipDigits()
            isWhole = false
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw failure("a number needs a digit in its exponent") }
            skipDigits()
            isWhole = false
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isWhole, let integer = Int64(text) { return (.integer(integer), text) }
        guard let double = Double(text), double.isFinite else {
            throw Failure(kind: .syntax, message: "the number \(text) is too large", offset: start)
        }
        if double == 0, Self.hasNonZeroDigit(text) {
            throw Failure(kind: .syntax, message: "the number \(text) is too small to represent", offset: start)
        }
        if double == double.rounded(), abs(double) < 0x1p63 { return (.integer(Int64(double)), text) }
        return (.number(double), text)
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether the significand (before any exponent) has a digit other than zero.
    private static func hasNonZeroDigit(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return false }
            if isDigit(byte), byte != UInt8(ascii: "0") { return true }
        }
        return false
    }

    // MARK: - Strings

    private mutating func string() throws(Failure) -> String {
        index += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        while true {
            guard let byte = peek() else { throw failure("the text ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                index += 1
                scalars.append(try escape())
            case 0x00..<0x20:
                throw failure("control character \(Self.describe(byte)) inside a string; escape it")
            case 0x00..<0x80:
                index += 1
                scalars.append(Unicode.Scalar(byte))
            default:
                scalars.append(try utf8Scalar())
            }
        }
    }

    private mutating func escape() throws(Failure) -> Unicode.Scalar {
        guard let byte = peek() else { throw failure("the text ends inside an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            switch unit {
            case 0xD800..<0xDC00:
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("an unpaired surrogate escape")
                }
                index += 2
                let low = try hexUnit()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("an unpaired surrogate escape") }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw failure("an invalid surrogate pair") }
                return scalar
            case 0xDC00..<0xE000:
                throw failure("an unpaired surrogate escape")
            default:
                guard let scalar = Unicode.Scalar(UInt32(unit)) else { throw failure("an invalid escape") }
                return scalar
            }
        default:
            throw failure("unknown escape \\\(Self.describe(byte)) in a string")
        }
    }

    private mutating func hexUnit() throws(Failure) -> UInt16 {
        guard bytes.count - index >= 4 else { throw failure("\\u needs four hexadecimal digits") }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hexadecimal digits")
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    /// One multi-byte UTF-8 sequence, checked as Unicode defines it (no overlong form, no surrogate,
    /// nothing above U+10FFFF).
    private mutating func utf8Scalar() throws(Failure) -> Unicode.Scalar {
        let lead = bytes[index]
        let count: Int
        var value: UInt32
        var lowest: UInt32
        switch lead {
        case 0xC2...0xDF: (count, value, lowest) = (2, UInt32(lead & 0x1F), 0x80)
        case 0xE0...0xEF: (count, value, lowest) = (3, UInt32(lead & 0x0F), 0x800)
        case 0xF0...0xF4: (count, value, lowest) = (4, UInt32(lead & 0x07), 0x10000)
        default: throw failure("invalid UTF-8")
        }
        guard bytes.count - index >= count else { throw failure("invalid UTF-8") }
        for offset in 1..<count {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { throw failure("invalid UTF-8") }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        guard value >= lowest, let scalar = Unicode.Scalar(value) else { throw failure("invalid UTF-8") }
        index += count
        return scalar
    }

    // MARK: - Helpers

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func failure(_ message: String) -> Failure {
        Failure(kind: .syntax, message: message, offset: index)
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16, uppercase: true)
    }
}
