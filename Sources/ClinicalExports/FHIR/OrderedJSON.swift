/// A JSON value whose objects keep their keys in the order written, so FHIR resources print in the
/// conventional order (`resourceType` first) and byte for byte alike on every run.
public indirect enum OrderedJSON: Hashable, Sendable {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
    case null

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.text(indent: nil) == rhs.text(indent: nil)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text(indent: nil))
    }

    /// The member `key` of an object, nil otherwise.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The value without empty strings, arrays or objects, recursively (FHIR JSON's rule: an element
    /// is either present with content or absent). Nil when nothing is left.
    public func prunedOfEmptyElements() -> OrderedJSON? {
        switch self {
        case .string(let text): return text.isEmpty ? nil : self
        case .array(let items):
            let kept = items.compactMap { $0.prunedOfEmptyElements() }
            return kept.isEmpty ? nil : .array(kept)
        case .object(let members):
            let kept = members.compactMap { member in member.1.prunedOfEmptyElements().map { (member.0, $0) } }
            return kept.isEmpty ? nil : .object(kept)
        default: return self
        }
    }

    /// The JSON text: compact when `indent` is nil, else pretty-printed with that many spaces.
    public func text(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, depth: 0)
        return output
    }

    private func write(to output: inout String, indent: Int?, depth: Int) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .number(let number): output += DecimalText.format(number, maxFractionDigits: 6) ?? "null"
        case .integer(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &output, indent: indent, depth: depth)
        case .object(let members):
            writeContainer(
                members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &output, indent: indent, depth: depth)
        }
    }

    private func writeContainer(
        _ items: [(String?, OrderedJSON)], open: String, close: String, to output: inout String, indent: Int?, depth: Int
    ) {
        output += open
        guard !items.isEmpty else {
            output += close
            return
        }
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (depth + 1)) } ?? ""
        for (offset, item) in items.enumerated() {
            if offset > 0 { output += "," }
            output += newline
            if let key = item.0 {
                Self.writeString(key, to: &output)
                output += indent == nil ? ":" : ": "
            }
            item.1.write(to: &output, indent: indent, depth: depth + 1)
        }
        output += indent.map { "\n" + String(repeating: " ", count: $0 * depth) } ?? ""
        output += close
    }

    /// A JSON string literal: quote, backslash and control characters escaped (RFC 8259 §7).
    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
