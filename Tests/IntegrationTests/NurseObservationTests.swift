import Foundation
import Testing

/// The nurse's observations over the real socket (issue 18 items 2 and 3; docs/PROTOCOL.md `observe`): scores
/// checked against their scales (all or nothing), shown in status with their age, published, a reminder when
/// one is overdue that clears when it is recorded, and kept across a SIGKILL.
@Suite("Nurse observations") struct NurseObservationTests {
    /// MOAA/S due 2 s into the infusion, so the reminder comes within the test.
    static let core = #"""
        {"requireBaselineBloodPressure":false,"library":{"profiles":[{"id":"ketamine-psychiatric",
         "observationSchedule":{"rules":[{"scales":["moaas"],"phase":"infusion","firstAfterSeconds":2,"everySeconds":600}]}}]}}
        """#

    @Test func scoresAreCheckedShownPublishedRemindedAndKept() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, coreConfiguration: Self.core,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let client = try chair.client()
        let watcher = try chair.client()
        #expect(try watcher.request(#"{"cmd":"watch","topics":["session","alarms"]}"#).ok)
        let library = try client.request(#"{"cmd":"library"}"#).result
        let scales = try #require(library["observationScales"] as? [[String: Any]], "library lists the scales")
        #expect(scales.contains { $0["id"] as? String == "moaas" && $0["maximum"] as? Int == 5 }, "\(scales)")
        #expect(library["profiles"] != nil, "beside the drug library's own fields")
        try chair.admitAndProgram(client)

        let accepted = try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"nausea":1},"note":"calm"}"#)
        #expect(accepted.ok, "\(accepted)")
        let shown = try #require(accepted.result["observations"] as? [String: [String: Any]])
        #expect(shown["moaas"]?["value"] as? Int == 5 && shown["nausea"]?["value"] as? Int == 1)
        let published = try chair.waitForEvent(on: watcher) { $0["event"] as? String == "observation" }
        #expect(published.detail["note"] as? String == "calm", "\(published)")

        // All or nothing: a refused observation changes no score.
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":9}}"#).errorCode == "score-out-of-range")
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":2,"sedation":1}}"#).errorCode == "unknown-scale")
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":"five"}}"#).errorCode == "bad-request")
        var status = try chair.chairStatus(client)
        var latest = try #require(status["observations"] as? [String: [String: Any]])
        #expect(latest["moaas"]?["value"] as? Int == 5, "unchanged by the refusals: \(latest)")
        #expect(WireClockText.isWallClock(latest["moaas"]?["time"]))
        #expect((latest["moaas"]?["ageSeconds"] as? Double).map { $0 >= 0 && $0 < 60 } == true)

        // Due 2 s into the infusion: a low reminder, cleared by the observation.
        #expect(try chair.startWhenBaselineIsIn(client).ok)
        let reminder = try chair.waitForAlarm("raised", "observationDue", on: watcher, timeout: 20)
        #expect(reminder["priority"] as? String == "low")
        status = try chair.chairStatus(client)
        #expect((status["dueObservations"] as? [[String: Any]])?.contains { $0["scale"] as? String == "moaas" } == true, "\(status)")
        #expect(status["state"] as? String == "infusing", "a reminder never pauses the pump")
        #expect(try chair.topOnce().contains(">>> OBSERVE: moaas"), "top asks the nurse for it")
        let ctl = try Shell.run(
            "'\(BuiltProducts.path("infusionctl"))' observe --chair 1 moaas=4 --note 'drowsy' --socket '\(chair.daemon.socketPath)'")
        #expect(ctl.status == 0, "\(ctl.stderr)")
        #expect(try Shell.run("'\(BuiltProducts.path("infusionctl"))' observe --chair 1 moaas=x --socket '\(chair.daemon.socketPath)'")
            .status != 0, "a malformed score is refused before anything is sent")
        _ = try chair.waitForAlarm("cleared", "observationDue", on: watcher, timeout: 10)
        let top = try chair.topOnce()
        #expect(top.contains("Obs: moaas 4") && !top.contains("OBSERVE:"), "\(top)")

        // Kept across a crash, with the record of who observed.
        try chair.restartDaemon(after: SIGKILL)
        let after = try chair.client()
        status = try chair.chairStatus(after)
        latest = try #require(status["observations"] as? [String: [String: Any]])
        #expect(latest["moaas"]?["value"] as? Int == 4 && latest["nausea"]?["value"] as? Int == 1, "\(latest)")
        #expect(latest["moaas"]?["operatorID"] as? String == "uid:0")
    }
}
