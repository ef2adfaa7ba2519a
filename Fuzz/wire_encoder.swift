// Fuzz target: WireJSONEncoder against the reference encoder (JSONEncoder, sorted keys, unescaped slashes).
// The input is read as JSON into a JSONValue (Foundation's reader, as a client reads the daemon's lines), and
// also taken as the recipe of a JSONValue built from its bytes (any finite double, any string); each value is
// written by both encoders, which must give the same bytes, or both refuse it.
import WireProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func wireEncoderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    if let parsed = try? LineCoding.decode(JSONValue.self, from: input) {
        compareEncoders(parsed)
    }
    var recipe = Recipe(input)
    compareEncoders(recipe.value(depth: 0))
    return 0
}

/// Both encoders give the same bytes for `value`; the writer leaves to the reference only what is nested
/// deeper than its bound or what the reference refuses too.
private func compareEncoders(_ value: JSONValue) {
    let reference = try? LineCoding.referenceEncoded(value)
    let written = WireJSONEncoder.encodeDirectly(value)
    if let written {
        guard let reference else { fatalError("fuzz invariant broken: written where the reference refuses: \(text(written))") }
        require(written == reference, "bytes differ\n  written:   \(text(written))\n  reference: \(text(reference))")
    } else {
        require(reference == nil || depth(value) > WireJSONEncoder.maximumDepth,
            "left to the reference at depth \(depth(value)): \(reference.map(text) ?? "")")
    }
    require(LineCoding.encodedData(value) == (reference ?? Array("null".utf8)), "encodedData differs from the reference")
}

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Arrays and objects nested at the deepest point.
private func depth(_ value: JSONValue) -> Int {
    switch value {
    case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
    case .object(let members): 1 + (members.values.map(depth).max() ?? 0)
    default: 0
    }
}

/// A JSONValue read off the input's bytes: each byte picks what comes next, and scalars take their bits or
/// text from the bytes that follow (short inputs end in nulls).
private struct Recipe {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func word() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { word, _ in word << 8 | UInt64(byte()) }
    }

    /// Text from the input's bytes: the valid UTF-8 among them (an invalid sequence becomes U+FFFD), so any
    /// control character, quote, backslash or non-ASCII character can appear.
    private mutating func text() -> String {
        let length = Int(byte() % 24)
        let start = min(index, bytes.count)
        let end = min(start + length, bytes.count)
        index = end
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func value(depth: Int) -> JSONValue {
        let choice = byte()
        switch choice % (depth < 600 ? 9 : 7) {
        case 0: return .null
        case 1: return .bool(choice & 0x80 != 0)
        case 2: return .integer(Int64(bitPattern: word()))
        case 3:
            let number = Double(bitPattern: word())
            return .number(number.isFinite || choice & 0x80 != 0 ? number : Double(Int64(bitPattern: number.bitPattern)))
        case 4: return .number(Double(Int64(bitPattern: word()) >> (choice >> 2)))
        case 5, 6: return .string(text())
        case 7: return .array((0..<Int(byte() % 6)).map { _ in value(depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int(byte() % 6) { members[text()] = value(depth: depth + 1) }
            return .object(members)
        }
    }
}
