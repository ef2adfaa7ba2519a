import Foundation
import Testing

/// Structured journal logging through libsystemd, received on a journal socket of our own in a
/// private mount namespace (journald cannot run here: PID 1 is not systemd).
@Suite("Journal logging") struct JournalTests {
    private func capture(config: String, seconds: Int = 1) throws -> [[String: String]] {
        let scratch = try ScratchDirectory()
        try config.write(toFile: scratch.file("c.json"), atomically: true, encoding: .utf8)
        let script = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/journal/journal-capture").path
        _ = try Shell.run(
            "\(script) \(scratch.file("journal.txt")) timeout -s INT \(seconds) \(BuiltProducts.path("infusiond")) "
                + "--socket \(scratch.file("s.sock")) --state-dir \(scratch.file("state")) --config \(scratch.file("c.json"))", timeout: 20)
        let text = try String(contentsOfFile: scratch.file("journal.txt"), encoding: .utf8)
        return text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { entry in
            var fields: [String: String] = [:]
            for line in entry.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            return fields
        }
    }

    @Test func entriesAreStructuredUnderSystemd() throws {
        let entries = try capture(config: #"{"chairs":[{"id":"3"}]}"#)
        let starting = try #require(entries.first { $0["MESSAGE"] == "infusiond starting" }, "\(entries)")
        #expect(starting["PRIORITY"] == "6")
        #expect(starting["SYSLOG_IDENTIFIER"] == "infusiond")
        #expect(starting["VERSION"] == "0.1.0", "metadata becomes fields of their own")
        #expect(entries.contains { $0["MESSAGE"] == "infusiond stopped" })
    }

    @Test func criticalFailuresCarryTheirPriority() throws {
        let entries = try capture(config: #"{"socket":{"group":"no-such-group-here"}}"#)
        let failure = try #require(entries.first { $0["MESSAGE"]?.contains("cannot run") == true }, "\(entries)")
        #expect(failure["PRIORITY"] == "2")
        #expect(failure["MESSAGE"]?.contains("no-such-group-here") == true)
    }
}
