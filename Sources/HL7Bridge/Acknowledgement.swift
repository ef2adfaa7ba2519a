/// An HL7 v2 acknowledgement as the receiving engine sends it back: `MSH ... MSA|<code>|<control id>|<text>`,
/// optionally with ERR segments. Parsed leniently in what separates segments (CR, LF or CRLF) and strictly
/// in what it means: the code must be one HL7 table 0008 defines and MSA-2 must be present.
package struct Acknowledgement: Equatable, Sendable {
    /// HL7 table 0008. Original mode answers `AA`/`AE`/`AR`; enhanced mode's accept acknowledgement
    /// answers `CA`/`CE`/`CR` (commit accept, error, reject).
    package enum Code: String, Equatable, Sendable, CaseIterable {
        case applicationAccept = "AA"
        case applicationError = "AE"
        case applicationReject = "AR"
        case commitAccept = "CA"
        case commitError = "CE"
        case commitReject = "CR"

        /// What the bridge does about it (docs/INTEGRATION.md "Acknowledgements").
        package var disposition: Disposition {
            switch self {
            case .applicationAccept, .commitAccept: .accepted
            case .applicationError, .commitError: .error
            case .applicationReject, .commitReject: .rejected
            }
        }
    }

    package enum Disposition: Equatable, Sendable {
        /// Taken: the cursor moves past the message.
        case accepted
        /// The receiver failed to process it (often a passing condition: a database away, a lock).
        case error
        /// The receiver will not take it as it is (type, version, processing id or content refused).
        case rejected
    }

    package var code: Code
    /// MSA-2: the MSH-10 of the message acknowledged.
    package var controlID: String
    /// MSA-3 and the ERR segments' texts, for the log.
    package var text: String

    package init(code: Code, controlID: String, text: String) {
        self.code = code
        self.controlID = controlID
        self.text = text
    }

    /// Why a reply could not be read as an acknowledgement.
    package struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Reads `message` (the bytes of one MLLP frame).
    package static func parse(_ message: [UInt8]) throws(ParseError) -> Acknowledgement {
        try parse(String(decoding: message, as: UTF8.self))
    }

    package static func parse(_ message: String) throws(ParseError) -> Acknowledgement {
        let segments = message.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard let header = segments.first, header.hasPrefix("MSH"), header.count >= 8 else {
            throw ParseError(description: "no MSH segment first")
        }
        // MSH-1 is the field separator itself; MSH-2 the component, repetition, escape and subcomponent ones.
        let fieldSeparator = header[header.index(header.startIndex, offsetBy: 3)]
        let componentSeparator = header[header.index(header.startIndex, offsetBy: 4)]
        func fields(_ segment: String) -> [String] {
            segment.split(separator: fieldSeparator, omittingEmptySubsequences: false).map(String.init)
        }
        guard let msa = segments.first(where: { $0.hasPrefix("MSA\(fieldSeparator)") }).map(fields) else {
            throw ParseError(description: "no MSA segment")
        }
        guard msa.count > 1, let code = Code(rawValue: msa[1].trimmingSpaces) else {
            throw ParseError(description: "MSA-1 is not an acknowledgement code: \(msa.count > 1 ? msa[1] : "")")
        }
        guard msa.count > 2, !msa[2].trimmingSpaces.isEmpty else {
            throw ParseError(description: "MSA-2 (the acknowledged control id) is empty")
        }
        var texts: [String] = []
        if msa.count > 3, !msa[3].isEmpty { texts.append(msa[3]) }
        for err in segments where err.hasPrefix("ERR\(fieldSeparator)") {
            // ERR-3 (HL7 error code) and ERR-8 (user message), whichever are present.
            let parts = fields(err)
            for index in [3, 8] where parts.count > index && !parts[index].isEmpty {
                texts.append(parts[index].split(separator: componentSeparator).joined(separator: " "))
            }
        }
        return Acknowledgement(code: code, controlID: msa[2].trimmingSpaces, text: texts.joined(separator: "; "))
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
