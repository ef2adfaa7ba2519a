import Foundation
import Testing

/// The patient's course over the real socket (issue 18 item 4; docs/PROTOCOL.md `course`): the audit store's
/// sessions by patient, three of one patient and none of another's, and the profile's cross-session limits at
/// intake: a soft limit refused without an override and taken with one, a hard limit that never yields, and a
/// changed weight that asks for confirmation.
@Suite("Patient course") struct PatientCourseTests {
    /// Limits a test can meet within minutes: the psychiatric entry prompts for any session within an hour of the
    /// last and refuses a fourth within a day; the pain entry has no interval, so its weight check stands alone.
    static let core = #"""
        {"requireBaselineBloodPressure":false,"recovery":{"minimumObservationSeconds":1},"library":{"profiles":[
         {"id":"ketamine-psychiatric","seriesLimits":{"intervalHours":{"softMinimum":1,"hardMinimum":null},
          "sessionsInWindow":{"softMaximum":null,"hardMaximum":3},"windowDays":1,"weightChangeFraction":{"softMaximum":0.1}}},
         {"id":"ketamine-chronic-pain","seriesLimits":{"intervalHours":{"softMinimum":null,"hardMinimum":null},
          "sessionsInWindow":{"softMaximum":null,"hardMaximum":3},"windowDays":1,"weightChangeFraction":{"softMaximum":0.1}}}]}}
        """#.split(separator: "\n").joined()
    static let devices = #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#

    static func intake(_ patient: String, weight: Int = 70, profile: String = "ketamine-psychiatric", reason: String? = nil) -> String {
        let override = reason.map { #","override":{"reason":"\#($0)"}"# } ?? ""
        return #"{"cmd":"intake","chair":"1","patientID":"\#(patient)","weight":\#(weight),"weightUnit":"kg","weightBasis":"measured","profileID":"\#(profile)","checklistSigned":true,"checklistSignedBy":"RN Lee"\#(override)}"#
    }

    static func chairStatus(_ client: LineClient) throws -> [String: Any] {
        (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first ?? [:]
    }

    /// Programs a short infusion, runs it to its end, scores the patient, and discharges.
    static func runSession(_ client: LineClient, scores: String) throws {
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.05,"durationMinutes":4}"#)
        guard program.ok else { throw Failure("program: \(program)") }
        let deadline = Date().addingTimeInterval(90)
        while try chairStatus(client)["state"] as? String != "complete" {
            let started = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if !started.ok, !["pump-link-down", "monitor-link-down", "vitals-stale", "syringe-not-confirmed", "wrong-state"]
                .contains(started.errorCode ?? "") { throw Failure("start: \(started)") }
            guard Date() < deadline else { throw Failure("no complete session: \(try chairStatus(client))") }
            usleep(300_000)
        }
        let observed = try client.request(#"{"cmd":"observe","chair":"1","scores":\#(scores)}"#)
        guard observed.ok else { throw Failure("observe: \(observed)") }
        let aldrete = #"{"activity":2,"respiration":2,"circulation":2,"consciousness":2,"oxygenSaturation":2}"#
        while true {
            let recovery = try client.request(#"{"cmd":"recovery","chair":"1","aldrete":\#(aldrete)}"#)
            if recovery.ok { break }
            guard recovery.errorCode == "delivery-uncertain", Date() < deadline else { throw Failure("recovery: \(recovery)") }
            usleep(200_000)
        }
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"nausea":0}}"#).ok)
        while try chairStatus(client)["state"] as? String != "dischargeReady" {
            guard Date() < deadline else { throw Failure("not discharge-ready: \(try chairStatus(client))") }
            usleep(200_000)
        }
        let discharge = try client.request(#"{"cmd":"discharge","chair":"1"}"#)
        guard discharge.ok else { throw Failure("discharge: \(discharge)") }
    }

    @Test func threeSessionsOfOnePatientWithTheCrossSessionLimitsEnforced() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpProtocol: "harvard", pumpTimeScale: 60,
            coreConfiguration: Self.core, devicesConfiguration: Self.devices)
        let client = try chair.client()
        let watcher = try chair.client()
        #expect(try watcher.request(#"{"cmd":"watch","topics":["session"]}"#).ok)
        let linksUp = Date().addingTimeInterval(30)
        while (try Self.chairStatus(client)["vitals"] as? [Any])?.isEmpty != false, Date() < linksUp { usleep(200_000) }

        // Session 1: no history, nothing to check.
        let first = try client.request(Self.intake("P-17"))
        #expect(first.ok, "\(first)")
        try Self.runSession(client, scores: #"{"moaas":3,"nausea":1,"phq9":18}"#)

        // Another patient's intake on the same chair is theirs alone: nothing of P-17 is held against it.
        #expect(try client.request(Self.intake("P-99", weight: 90)).ok)

        // Session 2, minutes after the first: the soft interval needs a reason, and says when it would pass.
        let tooSoon = try client.request(Self.intake("P-17"))
        #expect(tooSoon.errorCode == "series-soft-limit-needs-override", "\(tooSoon)")
        let details = (tooSoon["error"] as? [String: Any])?["details"] as? [String] ?? []
        #expect(details.first == "sessionInterval" && details.contains { $0.hasPrefix("nextAllowedInHours:") }, "\(details)")
        let refusedEvent = try chair.waitForEvent(on: watcher) { $0["event"] as? String == "limit" }
        #expect(refusedEvent.detail["kind"] as? String == "sessionInterval" && refusedEvent.detail["outcome"] as? String == "softRefused")
        #expect(try client.request(Self.intake("P-17", reason: " ")).errorCode == "override-reason-missing")
        let confirmed = try client.request(Self.intake("P-17", reason: "prescriber: second infusion this week"))
        #expect(confirmed.ok, "\(confirmed)")
        try Self.runSession(client, scores: #"{"moaas":4,"phq9":12}"#)

        // Session 3 under the pain entry (no interval limit): 80 kg against 70 kg asks to confirm the weight.
        let heavier = try client.request(Self.intake("P-17", weight: 80, profile: "ketamine-chronic-pain"))
        #expect(heavier.errorCode == "weight-change-needs-confirmation", "\(heavier)")
        #expect((heavier["error"] as? [String: Any])?["details"] as? [String] == ["weightChange"])
        #expect(try client.request(Self.intake("P-17", weight: 80, profile: "ketamine-chronic-pain", reason: "weighed twice")).ok)
        try Self.runSession(client, scores: #"{"moaas":5,"phq9":7}"#)

        // A fourth within the day: the hard limit never yields, with or without a reason.
        for reason in [nil, "prescriber insists"] {
            let fourth = try client.request(Self.intake("P-17", weight: 80, profile: "ketamine-chronic-pain", reason: reason))
            #expect(fourth.errorCode == "series-hard-limit", "\(fourth)")
            let words = (fourth["error"] as? [String: Any])?["details"] as? [String] ?? []
            #expect(words.first == "sessionsInWindow" && words.contains { $0.hasPrefix("nextAllowedInHours:2") }, "\(words)")
        }
        #expect(try Self.chairStatus(client)["state"] as? String == "discharged", "no intake went through")

        // The course: three sessions of P-17, none of P-99's.
        let course = try client.request(#"{"cmd":"course","patientID":"P-17"}"#)
        #expect(course.ok, "\(course)")
        let sessions = course.result["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 3, "\(sessions)")
        #expect(sessions.map { $0["seriesNumber"] as? Int } == [1, 2, 3])
        #expect(sessions.map { $0["weightKilograms"] as? Double } == [70, 70, 80])
        #expect(sessions.map { $0["profileID"] as? String }
            == ["ketamine-psychiatric", "ketamine-psychiatric", "ketamine-chronic-pain"])
        #expect(sessions.allSatisfy { ($0["deliveredMilligrams"] as? Double ?? 0) > 3 && $0["outcome"] as? String == "completed" })
        #expect(sessions.allSatisfy { WireClockText.isWallClock($0["startedAt"]) && ($0["durationMinutes"] as? Double) != nil })
        #expect(sessions.contains { ($0["lowestSpO2"] as? Double).map { $0 > 80 } == true }, "the vitals of the session")
        let phq9 = sessions.map { ($0["outcomes"] as? [[String: Any]])?.first { $0["scale"] as? String == "phq9" }?["value"] as? Int }
        #expect(phq9 == [18, 12, 7])
        let moaas = (sessions[0]["observations"] as? [[String: Any]])?.first { $0["scale"] as? String == "moaas" }
        #expect(moaas?["lowest"] as? Int == 3 && moaas?["highest"] as? Int == 5 && moaas?["count"] as? Int == 2, "\(String(describing: moaas))")
        #expect(sessions[0]["daysSincePrevious"] == nil && (sessions[1]["daysSincePrevious"] as? Double).map { $0 < 1 } == true)

        let other = try client.request(#"{"cmd":"course","patientID":"P-99"}"#).result["sessions"] as? [[String: Any]] ?? []
        #expect(other.count == 1 && other[0]["seriesNumber"] == nil && other[0]["outcome"] as? String == "not-done", "\(other)")
        #expect((try client.request(#"{"cmd":"course","patientID":"P-404"}"#).result["sessions"] as? [Any])?.isEmpty == true)
        #expect(try client.request(#"{"cmd":"course"}"#).errorCode == "bad-request")

        // infusionctl prints the table and the trend.
        let ctl = try Shell.run("'\(BuiltProducts.path("infusionctl"))' course P-17 --socket '\(chair.daemon.socketPath)'")
        #expect(ctl.status == 0, "\(ctl.stderr)")
        #expect(ctl.stdout.contains("patient P-17: 3 sessions") && ctl.stdout.contains("phq9  18 12 7"), "\(ctl.stdout)")

        // The index is durable: after a crash the course and the limits read the same.
        try chair.restartDaemon(after: SIGKILL)
        let after = try chair.client()
        #expect((try after.request(#"{"cmd":"course","patientID":"P-17"}"#).result["sessions"] as? [Any])?.count == 3)
        #expect(try after.request(Self.intake("P-17", reason: "again")).errorCode == "series-hard-limit")
    }

    @Test func viewersMayNotReadACourse() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"group":"nogroup"},"chairs":[{"id":"1"}]}"#)
        let out = try Shell.run(
            "setpriv --reuid=65534 --regid=65534 --clear-groups socat -t 2 - UNIX-CONNECT:\(daemon.socketPath)",
            input: #"{"cmd":"course","patientID":"P-17"}"# + "\n")
        #expect(out.lines.count == 2, "\(out.stdout)")
        #expect(out.lines[1].contains(#""code":"forbidden""#) && out.lines[1].contains(#""requiredRole":"operator""#))
    }
}
