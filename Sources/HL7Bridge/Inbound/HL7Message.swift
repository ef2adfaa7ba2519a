/// An HL7 v2 message read into segments and fields, with the delimiters its MSH declares. Lenient in what
/// separates segments (CR, LF, CRLF), never trapping on any input; escapes are undone in ``text(_:_:_:)``.
package struct HL7Message: Sendable {
    package struct Segment: Sendable {
        package var name: String
        /// Field n at index n (index 0 is the name); for MSH, index 1 is the field separator itself.
        package var fields: [String]
    }

    package var segments: [Segment]
    package let fieldSeparator: Character
    package let componentSeparator: Character
    package let repetitionSeparator: Character
    package let escapeCharacter: Character
    package let subcomponentSeparator: Character

    package struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        package var description: String
    }

    package init(_ text: String) throws(ParseError) {
        let lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard let header = lines.first, header.hasPrefix("MSH"), header.count >= 8 else {
            throw ParseError(description: "the message does not start with an MSH segment")
        }
        let characters = Array(header)
        fieldSeparator = characters[3]
        componentSeparator = characters[4]
        repetitionSeparator = characters[5]
        escapeCharacter = characters[6]
        subcomponentSeparator = characters[7]
        let delimiters = [fieldSeparator, componentSeparator, repetitionSeparator, escapeCharacter, subcomponentSeparator]
        guard Set(delimiters).count == 5, !delimiters.contains(where: { $0.isLetter || $0.isNumber || $0 == " " }) else {
            throw ParseError(description: "MSH-1 and MSH-2 do not declare five distinct delimiters")
        }
        var segments: [Segment] = []
        for line in lines {
            var fields = line.split(separator: fieldSeparator, omittingEmptySubsequences: false).map(String.init)
            guard let name = fields.first, name.count == 3, name.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
                throw ParseError(description: "a segment has no valid name: \(line.prefix(20))")
            }
            if name == "MSH" { fields.insert(String(fieldSeparator), at: 1) }
            segments.append(Segment(name: name, fields: fields))
        }
        self.segments = segments
    }

    /// The segments named `name`, in order.
    package func all(_ name: String) -> [Segment] { segments.filter { $0.name == name } }

    /// Component `component` (1-based; 1 for the whole first component) of the first repetition of field
    /// `field` of `segment`, escapes undone; nil when absent or empty.
    package func text(_ segment: Segment, _ field: Int, _ component: Int = 1) -> String? {
        guard field < segment.fields.count else { return nil }
        let repetition = segment.fields[field].split(separator: repetitionSeparator, omittingEmptySubsequences: false).first ?? ""
        let components = repetition.split(separator: componentSeparator, omittingEmptySubsequences: false)
        guard component >= 1, component <= components.count else { return nil }
        let value = unescape(String(components[component - 1]))
        return value.isEmpty ? nil : value
    }

    /// The components of the first repetition of a field, escapes undone.
    package func components(_ segment: Segment, _ field: Int) -> [String] {
        guard field < segment.fields.count else { return [] }
        let repetition = segment.fields[field].split(separator: repetitionSeparator, omittingEmptySubsequences: false).first ?? ""
        return repetition.split(separator: componentSeparator, omittingEmptySubsequences: false).map { unescape(String($0)) }
    }

    /// Undoes `\F\ \S\ \R\ \E\ \T\` and hex escapes; an escape it does not know is kept as written.
    private func unescape(_ text: String) -> String {
        guard text.contains(escapeCharacter) else { return text }
        var result = ""
        var pending: String?
        for character in text {
            if character == escapeCharacter {
                if let sequence = pending {
                    result += expand(sequence)
                    pending = nil
                } else {
                    pending = ""
                }
            } else if pending != nil {
                pending!.append(character)
            } else {
                result.append(character)
            }
        }
        if let sequence = pending { result += String(escapeCharacter) + sequence }
        return result
    }

    private func expand(_ sequence: String) -> String {
        switch sequence {
        case "F": return String(fieldSeparator)
        case "S": return String(componentSeparator)
        case "R": return String(repetitionSeparator)
        case "E": return String(escapeCharacter)
        case "T": return String(subcomponentSeparator)
        default:
            // `\Xhhhh\`: bytes in hex, two digits each (UTF-8 here).
            let digits = Array(sequence.dropFirst())
            if sequence.first == "X", !digits.isEmpty, digits.count % 2 == 0 {
                var bytes: [UInt8] = []
                for index in stride(from: 0, to: digits.count, by: 2) {
                    guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { break }
                    bytes.append(byte)
                }
                if bytes.count * 2 == digits.count { return String(decoding: bytes, as: UTF8.self) }
            }
            return String(escapeCharacter) + sequence + String(escapeCharacter)
        }
    }
}
