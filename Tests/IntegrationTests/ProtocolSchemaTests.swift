import Foundation
import Testing

/// docs/PROTOCOL.md and docs/protocol-v2.schema.json name the same commands, events and error codes
/// (issue 19 item 4).
///
/// The schema's names are its closed sets: `$defs.commandName`, `$defs.eventName` and `$defs.errorCode`.
/// The document's names are read from its structure, not from prose (`ProtocolDocumentNames`), so a name
/// mentioned in passing never counts, and a new command, event or code must be written where a reader
/// looks for it.
@Suite("PROTOCOL.md and the wire schema") struct ProtocolSchemaTests {
    /// Commands the schema knows that the document deliberately leaves out: `test-fault` exists only under
    /// `infusiond --test-faults` and is refused as unknown otherwise.
    static let undocumentedCommands: Set<String> = ["test-fault"]

    static let root = BuiltProducts.packageRoot

    static func schemaEnum(_ name: String) throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("docs/protocol-v2.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let values = try #require((defs[name] as? [String: Any])?["enum"] as? [String], "$defs.\(name).enum")
        return Set(values)
    }

    static func document() throws -> ProtocolDocumentNames {
        ProtocolDocumentNames(markdown: try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8))
    }

    static func disagreement(_ what: String, schema: Set<String>, document: Set<String>) -> String? {
        let onlySchema = schema.subtracting(document).sorted()
        let onlyDocument = document.subtracting(schema).sorted()
        guard !onlySchema.isEmpty || !onlyDocument.isEmpty else { return nil }
        return "\(what): in the schema only: \(onlySchema); in PROTOCOL.md only: \(onlyDocument)"
    }

    @Test func commandsAgree() throws {
        let schema = try Self.schemaEnum("commandName").subtracting(Self.undocumentedCommands)
        let problem = Self.disagreement("commands", schema: schema, document: try Self.document().commands)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func eventsAgree() throws {
        let problem = Self.disagreement("events", schema: try Self.schemaEnum("eventName"), document: try Self.document().events)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func errorCodesAgree() throws {
        let problem = Self.disagreement("error codes", schema: try Self.schemaEnum("errorCode"), document: try Self.document().errorCodes)
        #expect(problem == nil, "\(problem ?? "")")
    }

    /// The reader finds names where the document puts them, and nothing from prose.
    @Test func documentReaderReadsTheStructure() {
        let names = ProtocolDocumentNames(markdown: """
            ### hello (event, first on every connection)
            ```json
            {"event":"shutdown","data":{"reason":"x"}}
            {"reply":"?","ok":false,"error":{"code":"bad-json","message":"m"}}
            {"cmd":"launch"}
            ```
            | code | when | example |
            |---|---|---|
            | `unknown-chair` | a chair that is not configured (not `chair`) | `{"cmd":"start","chair":"9"}` |
            | core codes | refused: `wrong-state`, `stop-pending` (a rate change; see `syringe`) | |

            | role | commands |
            |---|---|
            | viewer | `ping`, `status` |
            ## Commands
            ### audit-verify
            ### adopt (admin)
            | command | fields | example |
            |---|---|---|
            | `intake` | `patientID` | |
            `library` (viewer) returns the drug library. Errors: `no-session` (the chair never had `weight`), `ambiguous`.
            | event | topic | detail |
            |---|---|---|
            | `alarm.raised`, `alarm.cleared` | alarms | `{"condition":"x"}` |
            """)
        #expect(names.commands == ["ping", "status", "audit-verify", "adopt", "intake", "library"])
        #expect(names.events == ["hello", "shutdown", "alarm.raised", "alarm.cleared"])
        #expect(names.errorCodes == ["bad-json", "unknown-chair", "wrong-state", "stop-pending", "no-session", "ambiguous"])
    }
}

/// The commands, events and error codes docs/PROTOCOL.md names, read from where it names them:
///
/// - commands: the backticked names in the `| role | commands |` table; the headings under `## Commands`
///   (`### hello, version`, `### adopt (admin)`); the first column of the `| command | fields | example |`
///   table; a backticked name followed by its role (`` `library` (viewer) ``);
/// - events: `### NAME (event ...)` headings; `"event":"NAME"` in examples; the first column of the
///   `| event | topic | detail |` table;
/// - error codes: the first column of the `| code | when | example |` table and, in its `core codes` row,
///   the backticked names of the `when` column outside parentheses; `"code":"NAME"` in examples; the
///   backticked names of each sentence that starts `Errors:` (to its full stop), outside parentheses.
///
/// `{"cmd":...}` examples do not count: the document shows unknown commands as examples of errors.
struct ProtocolDocumentNames {
    var commands: Set<String> = []
    var events: Set<String> = []
    var errorCodes: Set<String> = []

    init(markdown: String) {
        errorCodes.formUnion(Self.errorSentences(markdown))
        let lines = markdown.components(separatedBy: "\n")
        var table: [String]?  // the header cells of the table being read
        var section = ""
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("## ") { section = String(trimmed.dropFirst(3)) }
            if trimmed.hasPrefix("### ") {
                let heading = String(trimmed.dropFirst(4))
                if heading.contains("(event") {
                    events.formUnion(Self.words(heading.components(separatedBy: " (")[0]))
                } else if section == "Commands" {
                    commands.formUnion(Self.words(heading.components(separatedBy: " (")[0]))
                }
            }
            events.formUnion(Self.quotedValues(of: "event", in: line))
            errorCodes.formUnion(Self.quotedValues(of: "code", in: line))
            if trimmed.hasPrefix("|") {
                let cells = Self.cells(trimmed)
                if let header = table {
                    if !cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { read(cells, under: header) }
                } else {
                    table = cells
                }
            } else {
                table = nil
            }
            for role in ["viewer", "operator", "admin"] {
                var rest = Substring(line)
                while let found = rest.range(of: "` (\(role))") {
                    let before = rest[..<found.lowerBound]
                    if let open = before.lastIndex(of: "`") { commands.insert(String(before[before.index(after: open)...])) }
                    rest = rest[found.upperBound...]
                }
            }
        }
    }

    /// The backticked names of every `Errors:` sentence, outside parentheses; a sentence may span lines.
    static func errorSentences(_ markdown: String) -> [String] {
        let paragraphs = markdown.components(separatedBy: "\n\n").map { $0.replacingOccurrences(of: "\n", with: " ") }
        var names: [String] = []
        for paragraph in paragraphs {
            var rest = Substring(paragraph)
            while let range = rest.range(of: "Errors:") {
                var sentence = ""
                var inCode = false
                for character in outsideParentheses(String(rest[range.upperBound...])) {
                    if character == "`" { inCode.toggle() }
                    if character == ".", !inCode { break }
                    sentence.append(character)
                }
                names += backticked(sentence)
                rest = rest[range.upperBound...]
            }
        }
        return names
    }

    private mutating func read(_ cells: [String], under header: [String]) {
        guard let first = cells.first else { return }
        switch header.first {
        case "role" where header.count > 1 && header[1] == "commands":
            if cells.count > 1 { commands.formUnion(Self.backticked(cells[1])) }
        case "command":
            commands.formUnion(Self.backticked(first))
        case "event":
            events.formUnion(Self.backticked(first))
        case "code":
            if first == "core codes" {
                if cells.count > 1 { errorCodes.formUnion(Self.backticked(Self.outsideParentheses(cells[1]))) }
            } else {
                errorCodes.formUnion(Self.backticked(first))
            }
        default:
            break
        }
    }

    /// The cells of a table row, trimmed.
    static func cells(_ row: String) -> [String] {
        var inner = row.dropFirst()
        if inner.hasSuffix("|") { inner = inner.dropLast() }
        return inner.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The names in backticks that are a single word (`name`, `alarm.raised`, `audit-verify`), not code.
    static func backticked(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "`")
        return stride(from: 1, to: parts.count, by: 2).map { parts[$0] }.filter(isName)
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
    }

    /// The comma-separated names of a heading (`hello, version`).
    static func words(_ text: String) -> [String] {
        text.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter(isName)
    }

    /// The values of `"key":"VALUE"` in a line.
    static func quotedValues(of key: String, in line: String) -> [String] {
        line.components(separatedBy: "\"\(key)\":\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }.filter(isName)
    }

    /// `text` without anything in (nested) parentheses.
    static func outsideParentheses(_ text: String) -> String {
        var depth = 0
        var kept = ""
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(depth - 1, 0) } else if depth == 0 { kept.append(character) }
        }
        return kept
    }
}
