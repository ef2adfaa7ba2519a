import Foundation
import Testing

/// Issue 7 exports end to end: a real session on simulated devices, recorded by infusiond, reported through
/// `infusionctl report` in every format; HL7 parsed and validated by hl7apy and python-hl7 (PyPI), the FHIR
/// bundle and the CSV read by the Python checkers in Tests/Fixtures/exports.
@Suite("Session report", .serialized) struct ReportTests {
    @Test func aRecordedSessionIsReportedInEveryFormat() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        defer { client.close() }
        let override = try client.request(
            #"{"cmd":"rate","chair":"1","rate":0.9,"unit":"mg/kg/h","confirm":true,"reason":"prescriber, \"per protocol\""}"#)
        #expect(override.ok, "\(override)")
        // A monitor unplugged while infusing: link-lost alarm and interlock pause (PCD-04 material); back again.
        try chair.control(chair.monitorPath, "disconnect")
        sleep(4)
        try chair.control(chair.monitorPath, "reconnect")
        sleep(3)  // with the above, more than one vitals-trend interval (5 s)
        #expect(try client.request(#"{"cmd":"stop","chair":"1","reason":"end"}"#).ok)

        let directory = chair.scratch.file("report")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for format in ["json", "csv", "hl7", "fhir"] {
            let out = try Shell.run(
                "\(BuiltProducts.path("infusionctl")) report --chair 1 --format \(format) --socket \(chair.daemon.socketPath)"
                    + " > \(directory)/report.\(format)")
            #expect(out.status == 0, "\(format): \(out)")
        }

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/report.json"))) as? [String: Any])
        let text = try String(contentsOfFile: directory + "/report.json", encoding: .utf8)
        #expect(text.contains("P-17"), "the patient reference")
        #expect(text.contains(#"per protocol"#), "the override reason")
        #expect(text.contains("rate-change") && text.contains("limit-event") && text.contains("vital"), "\(report.keys)")

        // HL7: the export holds PCD-01 then PCD-04 messages; the checker takes them apart.
        let hl7 = try String(contentsOfFile: directory + "/report.hl7", encoding: .utf8)
        let messages = hl7.components(separatedBy: "MSH|").dropFirst().map { "MSH|" + $0 }
        let r01 = messages.filter { $0.contains("ORU^R01") }
        let r40 = messages.filter { $0.contains("ORU^R40") }
        #expect(!r01.isEmpty && !r40.isEmpty, "vitals and pump observations, and the link alarm: \(hl7)")
        try r01.joined().write(toFile: directory + "/r01.hl7", atomically: true, encoding: .utf8)
        try r40.joined().write(toFile: directory + "/r40.hl7", atomically: true, encoding: .utf8)
        let hl7Check = try peerCheck("check_hl7.py", [directory + "/r01.hl7", directory + "/r40.hl7", "P-17"])
        #expect(hl7Check.status == 0, "\(hl7Check)")
        let fhirCheck = try peerCheck("check_fhir.py", [directory + "/report.fhir"])
        #expect(fhirCheck.status == 0, "\(fhirCheck)")
        let csvCheck = try peerCheck("check_report.py", [directory + "/report.csv", directory + "/report.json"])
        #expect(csvCheck.status == 0, "\(csvCheck)")
    }

    @Test func aChairWithoutASessionSaysSo() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"chairs":[{"id":"1"}]}"#)
        let out = try Shell.run(
            "\(BuiltProducts.path("infusionctl")) report --chair 1 --socket \(daemon.socketPath)")
        #expect(out.status == 1 && out.stderr.contains("no-session"), "\(out)")
        try daemon.stop()
    }

    /// Runs a checker from Tests/Fixtures/exports with the venv's Python (scripts/setup makes it; missing fails).
    private func peerCheck(_ script: String, _ arguments: [String]) throws -> CommandOutcome {
        let root = BuiltProducts.packageRoot.path
        return try Shell.run(
            "\(root)/.venv-peers/bin/python \(root)/Tests/Fixtures/exports/\(script) "
                + arguments.joined(separator: " "), timeout: 60)
    }
}
