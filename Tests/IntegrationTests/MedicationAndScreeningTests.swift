import Foundation
import Testing

/// As-needed medications, intake screening and the pre-start pressure rule over the real socket (issue 18 items 5–7;
/// docs/PROTOCOL.md `medicate`, `intake`, `start`): checked by the core, shown in status with their age, published,
/// kept across a SIGKILL, and carried by the session report's JSON, FHIR and HL7 exports (validated by the Python
/// checkers of Tests/Fixtures/exports).
@Suite("Medications and screening", .serialized) struct MedicationAndScreeningTests {
    static let screening = #"{"uncontrolledHypertension":false,"unstableHeartDisease":false,"raisedIntracranialPressure":false,"raisedIntraocularPressure":false,"interstitialCystitis":false,"activeSubstanceMisuse":false,"currentMania":CURRENT,"activePsychosis":false}"#

    static func intake(mania: Bool, override: String? = nil, hypertension: Bool = false) -> String {
        var screening = Self.screening.replacingOccurrences(of: "CURRENT", with: mania ? "true" : "false")
        if hypertension {
            screening = screening.replacingOccurrences(of: #""uncontrolledHypertension":false"#, with: #""uncontrolledHypertension":true"#)
        }
        let confirmation = override.map { #","screeningOverride":{"reason":"\#($0)"}"# } ?? ""
        return #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee","screening":\#(screening)\#(confirmation)}"#
    }

    @Test func medicationsAreCheckedShownPublishedKeptAndExported() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let client = try chair.client()
        let watcher = try chair.client()
        #expect(try watcher.request(#"{"cmd":"watch","topics":["session"]}"#).ok)
        let library = try client.request(#"{"cmd":"library"}"#).result
        let listed = try #require(library["asNeededMedications"] as? [[String: Any]], "library lists the as-needed drugs")
        #expect(listed.contains { $0["id"] as? String == "ondansetron" && $0["usualMaximum"] as? Double == 4 }, "\(listed)")
        try chair.admitAndProgram(client)

        let given = try client.request(
            #"{"cmd":"medicate","chair":"1","drug":"ondansetron","dose":4,"unit":"mg","route":"IV","reason":"nausea"}"#)
        #expect(given.ok, "\(given)")
        let shown = try #require(given.result["medications"] as? [[String: Any]])
        #expect(shown.count == 1 && shown.first?["drug"] as? String == "ondansetron" && shown.first?["dose"] as? Double == 4)
        let published = try chair.waitForEvent(on: watcher) { $0["event"] as? String == "medication" }
        #expect(published.detail["reason"] as? String == "nausea" && published.detail["route"] as? String == "IV", "\(published)")

        // Refused, nothing recorded: an unknown drug, a dose outside the usual range without an override.
        #expect(try client.request(
            #"{"cmd":"medicate","chair":"1","drug":"haloperidol","dose":5,"unit":"mg","route":"IV","reason":"agitation"}"#)
            .errorCode == "unknown-medication")
        #expect(try client.request(
            #"{"cmd":"medicate","chair":"1","drug":"labetalol","dose":100,"unit":"mg","route":"IV","reason":"BP 184/112"}"#)
            .errorCode == "dose-outside-usual-range")
        #expect(try client.request(
            #"{"cmd":"medicate","chair":"1","drug":"labetalol","dose":20,"unit":"mg","route":"XX","reason":"BP"}"#)
            .errorCode == "bad-request", "a route not in the protocol is refused when read")
        var status = try chair.chairStatus(client)
        #expect((status["medications"] as? [[String: Any]])?.count == 1, "unchanged by the refusals: \(status)")
        let overridden = try client.request(
            #"{"cmd":"medicate","chair":"1","drug":"labetalol","dose":100,"unit":"mg","route":"IV","reason":"BP 184/112","override":{"reason":"per Dr Lee"}}"#)
        #expect(overridden.ok, "\(overridden)")

        status = try chair.chairStatus(client)
        var medications = try #require(status["medications"] as? [[String: Any]])
        #expect(medications.map { $0["drug"] as? String } == ["ondansetron", "labetalol"])
        #expect(medications.last?["overrideReason"] as? String == "per Dr Lee")
        #expect(WireClockText.isWallClock(medications.first?["time"]))
        #expect((medications.first?["ageSeconds"] as? Double).map { $0 >= 0 && $0 < 120 } == true, "\(medications)")
        #expect(try chair.topOnce().contains("Meds: ondansetron 4 mg IV"), "top shows them")

        // Kept across a crash.
        try chair.restartDaemon(after: SIGKILL)
        let after = try chair.client()
        status = try chair.chairStatus(after)
        medications = try #require(status["medications"] as? [[String: Any]])
        #expect(medications.map { $0["drug"] as? String } == ["ondansetron", "labetalol"], "\(status)")
        let ctl = BuiltProducts.path("infusionctl")
        let midazolam = try Shell.run(
            "'\(ctl)' medicate --chair 1 midazolam 1 mg IV --reason 'anxious' --socket '\(chair.daemon.socketPath)'")
        #expect(midazolam.status == 0, "\(midazolam)")
        let unusual = try Shell.run(
            "'\(ctl)' medicate --chair 1 midazolam 5 mg IV --reason 'agitated' --socket '\(chair.daemon.socketPath)'")
        #expect(unusual.status != 0 && unusual.stderr.contains("dose-outside-usual-range"), "\(unusual)")
        #expect(try after.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"phq9":12},"note":"calm"}"#).ok)

        // Every export carries them, and the independent checkers accept the result.
        let directory = chair.scratch.file("report")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for format in ["json", "csv", "hl7", "fhir"] {
            let out = try Shell.run(
                "\(BuiltProducts.path("infusionctl")) report --chair 1 --format \(format) --socket \(chair.daemon.socketPath)"
                    + " > \(directory)/report.\(format)")
            #expect(out.status == 0, "\(format): \(out)")
        }
        let report = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/report.json"))) as? [String: Any])
        let reported = (report["medications"] as? [[String: Any]])?.map { $0["subject"] as? String }
        #expect(reported == ["ondansetron", "labetalol", "midazolam"], "\(String(describing: report["medications"]))")
        let scores = (report["observations"] as? [[String: Any]])?.map { $0["subject"] as? String }
        #expect(scores == ["moaas", "phq9"], "\(String(describing: report["observations"]))")
        #expect(try peerCheck("check_report.py", [directory + "/report.csv", directory + "/report.json"]).status == 0)
        let fhir = try String(contentsOfFile: directory + "/report.fhir", encoding: .utf8)
        #expect(fhir.contains("44261-6") && fhir.contains("Labetalol"), "the PHQ-9 LOINC code and the medication")
        let fhirCheck = try peerCheck("check_fhir.py", [directory + "/report.fhir"])
        #expect(fhirCheck.status == 0, "\(fhirCheck)")
        let hl7 = try String(contentsOfFile: directory + "/report.hl7", encoding: .utf8)
        let messages = hl7.components(separatedBy: "MSH|").dropFirst().map { "MSH|" + $0 }
        let nurse = messages.filter { !$0.contains("IHE_PCD") }
        #expect(nurse.filter { $0.contains("RAS^O17") }.count == 3 && nurse.filter { $0.contains("ORU^R01") }.count == 1, "\(nurse)")
        try nurse.joined().write(toFile: directory + "/nurse.hl7", atomically: true, encoding: .utf8)
        let hl7Check = try peerCheck("check_hl7_nurse.py", [directory + "/nurse.hl7", "P-17"])
        #expect(hl7Check.status == 0, "\(hl7Check)")
    }

    @Test func screeningRefusesOrNeedsAnOverrideAndThePreStartPressureNeedsOne() throws {
        // A pre-start bound of 100/60 below the typical preset's 118/76 baseline, so the rule fires every time.
        let chair = try SimulatedChair(
            monitorProtocol: "intellivue", preset: "typical", timeScale: 60,
            coreConfiguration: #"{"preStartBloodPressure":{"systolicAbove":100,"diastolicAbove":60}}"#)
        let client = try chair.client()

        let refused = try client.request(Self.intake(mania: false, hypertension: true))
        #expect(refused.errorCode == "contraindication-present", "\(refused)")
        #expect(((refused["error"] as? [String: Any])?["details"] as? [String]) == ["uncontrolledHypertension"])
        #expect(try client.request(Self.intake(mania: true)).errorCode == "contraindication-needs-override")
        let incomplete = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee","screening":{"activePsychosis":false}}"#)
        #expect(incomplete.errorCode == "screening-incomplete", "\(incomplete)")
        #expect(try chair.chairStatus(client)["state"] as? String == "idle", "nothing taken in")

        let accepted = try client.request(Self.intake(mania: true, override: "euthymic per psychiatrist"))
        #expect(accepted.ok, "\(accepted)")
        let screening = try #require(accepted.result["screening"] as? [String: Any])
        #expect(screening["method"] as? String == "structured" && screening["present"] as? [String] == ["currentMania"])
        #expect(screening["overrideReason"] as? String == "euthymic per psychiatrist")

        try chair.control(chair.monitorPath, "nibp-start")
        #expect(try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#).ok)
        // The links and the baseline may still be on their way; the pressure rule answers once they are in.
        var start: [String: Any] = [:]
        _ = try eventually(within: 30) {
            start = try client.request(#"{"cmd":"start","chair":"1"}"#)
            return start.errorCode == "pre-start-pressure-high"
        }
        #expect(start.errorCode == "pre-start-pressure-high", "\(start)")
        #expect(try client.request(#"{"cmd":"start","chair":"1","confirm":true,"reason":" "}"#).errorCode == "override-reason-missing")
        #expect(try chair.chairStatus(client)["state"] as? String == "programmed")
        let started = try client.request(#"{"cmd":"start","chair":"1","confirm":true,"reason":"anxious; repeat reading similar"}"#)
        #expect(started.ok, "\(started)")
        #expect(started.result["state"] as? String == "infusing")
        let confirmed = try #require(started.result["preStartPressureOverride"] as? [String: Any])
        #expect(confirmed["reason"] as? String == "anxious; repeat reading similar")
        #expect((confirmed["systolic"] as? Double).map { $0 > 100 } == true, "\(confirmed)")

        // The record says which screening was used and what was confirmed, after a crash too.
        try chair.restartDaemon(after: SIGKILL)
        let status = try chair.chairStatus(try chair.client())
        #expect((status["screening"] as? [String: Any])?["method"] as? String == "structured", "\(status)")
        #expect((status["preStartPressureOverride"] as? [String: Any])?["reason"] as? String == "anxious; repeat reading similar")
    }

    @Test func theSignedChecklistAloneIsRecordedAsSuch() throws {
        let chair = try SimulatedChair(monitorProtocol: "masimo", preset: "typical", timeScale: 1)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        let screening = try #require(try chair.chairStatus(client)["screening"] as? [String: Any])
        #expect(screening["method"] as? String == "signedChecklist" && (screening["present"] as? [String])?.isEmpty == true)
    }

    private func peerCheck(_ script: String, _ arguments: [String]) throws -> CommandOutcome {
        let root = BuiltProducts.packageRoot.path
        return try Shell.run(
            "\(root)/.venv-peers/bin/python \(root)/Tests/Fixtures/exports/\(script) "
                + arguments.joined(separator: " "), timeout: 60)
    }
}
