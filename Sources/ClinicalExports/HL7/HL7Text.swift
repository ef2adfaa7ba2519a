/// HL7 v2 text rules for the standard delimiters `|^~\&` (field, component, repetition, escape,
/// subcomponent) and CR as the segment terminator.
package enum HL7Text {
    /// `text` with every delimiter replaced by its escape sequence (`\F\ \S\ \R\ \E\ \T\`) and CR/LF
    /// by hex escapes, so free text can never split a field, component or segment.
    package static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": escaped += "\\F\\"
            case "^": escaped += "\\S\\"
            case "~": escaped += "\\R\\"
            case "\\": escaped += "\\E\\"
            case "&": escaped += "\\T\\"
            case "\r": escaped += "\\X0D\\"
            case "\n": escaped += "\\X0A\\"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A composite field: each part escaped, joined by `^`, trailing empty parts dropped.
    package static func components(_ parts: String?...) -> String {
        var texts = parts.map { escape($0 ?? "") }
        while texts.last == "" { texts.removeLast() }
        return texts.joined(separator: "^")
    }

    /// A coded element `code^name^MDC` for an 11073 term.
    package static func mdc(_ term: MDCCode) -> String {
        components("\(term.code)", term.name, "MDC")
    }

    /// A unit: the 11073 dimension as the primary coding, UCUM as the alternate (IHE PCD's form).
    package static func unit(_ unit: MDCUnit) -> String {
        components("\(unit.term.code)", unit.term.name, "MDC", unit.ucum, unit.ucum, "UCUM")
    }
}

/// One segment: its name and fields by position (1-based, as HL7 numbers them). Values must already
/// be escaped (``HL7Text`` does it); missing positions print empty and trailing empties are dropped.
package struct HL7Segment {
    package var name: String
    package var fields: [Int: String]

    package init(_ name: String, _ fields: [Int: String]) {
        self.name = name
        self.fields = fields
    }

    /// The segment text, without its terminator. MSH-1 is the field separator itself, so MSH fields
    /// start at MSH-2.
    package var text: String {
        let last = fields.filter { !$0.value.isEmpty }.keys.max() ?? 0
        let first = name == "MSH" ? 2 : 1
        guard last >= first else { return name }
        return ([name] + (first...last).map { fields[$0] ?? "" }).joined(separator: "|")
    }

    /// Segments as one message: each terminated by CR.
    package static func message(_ segments: [HL7Segment]) -> String {
        segments.map { $0.text + "\r" }.joined()
    }
}
