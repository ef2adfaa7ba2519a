import ClinicalExports
import Foundation
import Testing

/// The exports read by independent tools: hl7apy (a public HL7 v2 library from PyPI, in
/// .venv-peers) parses and validates every HL7 message, and Python checkers under
/// Tests/Fixtures/exports check the FHIR bundle's structure and read the CSV with Python's csv
/// module. A missing venv fails the test: scripts/test runs scripts/setup, which makes it.
@Suite struct ExportPeerCheckTests {
    /// The package root, from this file's path (Tests/ClinicalExportsTests/<file>).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func hl7apyAcceptsEveryMessage() throws {
        let records = ExportFixtures.session
        let exporter = HL7Exporter()
        let directory = try Self.scratchDirectory()
        let observations = exporter.observationMessages(for: records)
        let alarms = exporter.alarmMessages(for: records)
        try observations.joined().write(toFile: directory + "/pcd01.hl7", atomically: true, encoding: .utf8)
        try alarms.joined().write(toFile: directory + "/pcd04.hl7", atomically: true, encoding: .utf8)

        let summary = try Self.runChecker(
            "check_hl7.py", [directory + "/pcd01.hl7", directory + "/pcd04.hl7", records.patient.id])
        let r01 = try #require(summary["R01"] as? [String: Any])
        let r40 = try #require(summary["R40"] as? [String: Any])
        #expect(r01["messages"] as? Int == observations.count)
        #expect(r40["messages"] as? Int == alarms.count)
        #expect(r40["obx"] as? Int == alarms.count * 7)
        let obxCount = observations.map { $0.components(separatedBy: "\rOBX|").count - 1 }.reduce(0, +)
        #expect(r01["obx"] as? Int == obxCount)
    }

    @Test func fhirBundlePassesTheStructuralChecker() throws {
        let directory = try Self.scratchDirectory()
        try FHIRExporter().bundle(for: ExportFixtures.session).text()
            .write(toFile: directory + "/bundle.json", atomically: true, encoding: .utf8)
        let summary = try Self.runChecker("check_fhir.py", [directory + "/bundle.json"])
        let counts = try #require(summary["resources"] as? [String: Any])
        #expect(counts["Patient"] as? Int == 1)
        #expect(counts["Device"] as? Int == 2)
        #expect(counts["Observation"] as? Int == 8)
        #expect(counts["MedicationAdministration"] as? Int == 1)
    }

    @Test func pythonCSVReaderReadsTheReportAsTheJSONSaysIt() throws {
        let report = SessionReport(ExportFixtures.session)
        let directory = try Self.scratchDirectory()
        try report.csv().write(toFile: directory + "/report.csv", atomically: true, encoding: .utf8)
        try report.json().write(toFile: directory + "/report.json", atomically: true, encoding: .utf8)
        let summary = try Self.runChecker("check_report.py", [directory + "/report.csv", directory + "/report.json"])
        #expect(summary["rows"] as? Int == ExportFixtures.session.entries.count)
        #expect(summary["reasons"] as? Int == 4)
    }

    /// The checkers are not rubber stamps: a message missing a required field and a bundle with a
    /// dangling reference are refused.
    @Test func checkersRefuseBrokenOutput() throws {
        let records = ExportFixtures.session
        let exporter = HL7Exporter()
        let directory = try Self.scratchDirectory()
        let withoutName = exporter.observationMessages(for: records).joined()
            .replacingOccurrences(of: "||^^^^^^U\r", with: "\r")
        try withoutName.write(toFile: directory + "/pcd01.hl7", atomically: true, encoding: .utf8)
        try exporter.alarmMessages(for: records).joined()
            .write(toFile: directory + "/pcd04.hl7", atomically: true, encoding: .utf8)
        let hl7 = try Self.run(
            "check_hl7.py", [directory + "/pcd01.hl7", directory + "/pcd04.hl7", records.patient.id])
        #expect(hl7.status == 1)
        #expect(hl7.complaint.contains("PID_5"), "\(hl7.complaint)")

        let patient = DeterministicUUID(name: "patient|\(records.patient.id)").urn
        let dangling = FHIRExporter().bundle(for: records).text()
            .replacingOccurrences(
                of: "\"reference\": \"\(patient)\"", with: "\"reference\": \"\(DeterministicUUID(name: "nobody").urn)\""
            )
        try dangling.write(toFile: directory + "/bundle.json", atomically: true, encoding: .utf8)
        let fhir = try Self.run("check_fhir.py", [directory + "/bundle.json"])
        #expect(fhir.status == 1)
        #expect(fhir.complaint.contains("references outside the bundle"), "\(fhir.complaint)")
    }

    /// Runs a checker and returns the JSON it printed; records a failure (with the checker's
    /// complaint) and throws when it did not pass.
    static func runChecker(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try run(script, arguments)
        try #require(result.status == 0, "\(script) failed (124 = hung past 60 s): \(result.complaint)")
        return try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
    }

    /// Runs a checker with the venv's Python: its exit status, what it printed, what it complained.
    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: Data, complaint: String)
    {
        let python = root.appendingPathComponent(".venv-peers/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("\(python.path) is missing: run scripts/setup (it installs hl7apy into .venv-peers).")
            throw CheckerError.missingVenv
        }
        let directory = try scratchDirectory()
        let outputPath = directory + "/out.json"
        let errorPath = directory + "/err.txt"
        // Files, not pipes: a pipe inherited by a process another test spawns could hold a read open.
        try #require(FileManager.default.createFile(atPath: outputPath, contents: nil))
        try #require(FileManager.default.createFile(atPath: errorPath, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        let checker = root.appendingPathComponent("Tests/Fixtures/exports/\(script)").path
        process.arguments = ["60", python.path, checker] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        process.waitUntilExit()
        let complaint = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, FileManager.default.contents(atPath: outputPath) ?? Data(), complaint)
    }

    static func scratchDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clinical-exports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    enum CheckerError: Error {
        case missingVenv
    }
}
