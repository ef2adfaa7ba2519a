import Foundation
import Testing

/// Issue 17's monitoring drills on the bench: the real daemon with a pump simulator and a monitor
/// simulator on ptys. Each fault is checked on the simulator's side (what the monitor does) as well as in
/// what infusiond shows.
@Suite("Monitoring drills", .serialized) struct MonitoringDrillTests {
    /// A monitor silent this long counts as lost: twice the 1 s cadence of every simulated monitor, so a
    /// late line on a loaded machine is not a loss, and short enough for a quick drill.
    private static let monitorLinkLostSeconds = 2.0
    private static let fastDevices =
        #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5,"monitorLinkLostSeconds":2}"#

    /// A monitor that stops sending with its port open raises `monitorLinkLost` within the configured time,
    /// with the pump paused (high: the pump still serves the session) and in recovery (medium).
    @Test func aSilentMonitorWithItsPortOpenIsAnAlarmWhilePausedAndInRecovery() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#, devicesConfiguration: Self.fastDevices)
        let client = try chair.client()
        defer { client.close() }
        try chair.admitAndProgram(client)
        #expect(try chair.startWhenBaselineIsIn(client).ok)
        #expect(try client.request(#"{"cmd":"pause","chair":"1","reason":"drill"}"#).ok)
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)

        // Paused: the monitor falls silent, its port stays open.
        try expectAlarmWhenSilent(chair, watcher, client, priority: "high", state: "paused")
        #expect(try chair.control(chair.monitorPath, "fault no-frames off").hasPrefix("ok"))
        _ = try chair.waitForAlarm("latched", "monitorLinkLost", on: watcher)
        #expect(try chair.monitorLink(client) == "up", "the next reading brings the link up")
        #expect(try client.request(#"{"cmd":"ack","chair":"1"}"#).ok)

        // Recovery: the drug still acts and vitals are still watched.
        #expect(try client.request(#"{"cmd":"stop","chair":"1","reason":"drill"}"#).ok)
        #expect(try eventually(within: 10) { try chair.chairStatus(client)["state"] as? String == "complete" })
        #expect(try eventually(within: 10) { try client.request(#"{"cmd":"recovery","chair":"1"}"#).ok })
        try expectAlarmWhenSilent(chair, watcher, client, priority: "medium", state: "recovery")
    }

    /// Turns the monitor's `no-frames` fault on and expects `monitorLinkLost` at `priority` in time, the
    /// monitor's port still open on the simulator's side.
    private func expectAlarmWhenSilent(
        _ chair: SimulatedChair, _ watcher: LineClient, _ client: LineClient, priority: String, state: String
    ) throws {
        #expect(try chair.chairStatus(client)["state"] as? String == state)
        #expect(try chair.control(chair.monitorPath, "fault no-frames on").hasPrefix("ok"))
        let silentFrom = Date()
        let raised = try chair.waitForAlarm("raised", "monitorLinkLost", on: watcher, timeout: 15)
        let after = Date().timeIntervalSince(silentFrom)
        #expect(raised["priority"] as? String == priority, "\(state): \(raised)")
        // The configured time, and at most one check period and the event's way out more.
        #expect(after >= Self.monitorLinkLostSeconds - 1.1 && after <= Self.monitorLinkLostSeconds + 2, "\(state): \(after) s")
        // The simulator's side: silent, not unplugged; the port is still there.
        #expect(try chair.control(chair.monitorPath, "faults").contains("no-frames"))
        #expect(FileManager.default.fileExists(atPath: chair.monitorPath))
        #expect(try chair.monitorLink(client) == "down")
    }

    /// An IntelliVue that drops the association is a lost link at once, long before the silence time.
    @Test func anIntelliVueAssociationDroppedRaisesMonitorLinkLostAtOnce() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "intellivue", preset: "typical", timeScale: 1,
            devicesConfiguration: #"{"monitorLinkLostSeconds":30}"#)
        let client = try chair.client()
        defer { client.close() }
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        #expect(try eventually(within: 20) { try chair.monitorLink(client) == "up" })
        // Whatever the start-up left latched (the monitor may have come up after intake) is acknowledged.
        #expect(try client.request(#"{"cmd":"ack","chair":"1"}"#).ok)
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)

        #expect(try chair.control(chair.monitorPath, "association-abort").hasPrefix("ok"))
        let abortedAt = Date()
        let raised = try chair.waitForAlarm("raised", "monitorLinkLost", on: watcher, timeout: 10)
        #expect(Date().timeIntervalSince(abortedAt) < 3, "at once, not after the 30 s silence time")
        #expect(raised["priority"] as? String == "low", "before the infusion: \(raised)")
        // The simulator's side: nothing left to abort until the daemon associates again.
        #expect(try chair.control(chair.monitorPath, "association-abort").hasPrefix("error"))
        // The daemon associates again (after its 5 s response timeout) and the link comes back.
        _ = try chair.waitForAlarm("latched", "monitorLinkLost", on: watcher, timeout: 20)
        #expect(try chair.monitorLink(client) == "up")
    }

    /// `status` and `top --once` show every vital with its source and age, and a stale value as stale,
    /// never as current.
    @Test func statusAndTopShowEveryVitalsAgeAndTheStaleOnesAsStale() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "intellivue", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"staleVitals":{"maximumAgeSeconds":4}}"#, devicesConfiguration: Self.fastDevices)
        let client = try chair.client()
        defer { client.close() }
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        #expect(try eventually(within: 20) { try chair.monitorLink(client) == "up" })
        try chair.control(chair.monitorPath, "nibp-start")
        let expected = [
            "spo2": "pleth", "pulseRate": "pleth", "perfusionIndex": "pleth", "ecgHeartRate": "ecg",
            "nibpSystolic": "cuff", "nibpDiastolic": "cuff", "nibpMean": "cuff",
        ]
        #expect(try eventually(within: 15) { Set(try chair.vitals(client).keys) == Set(expected.keys) })
        let fresh = try chair.vitals(client)
        for (parameter, source) in expected {
            let entry = fresh[parameter] ?? [:]
            #expect(entry["source"] as? String == source, "\(parameter): \(entry)")
            #expect(entry["trustworthy"] as? Bool == true, "\(parameter): \(entry)")
            #expect((entry["ageSeconds"] as? Double).map { $0 >= 0 && $0 < 4 } == true, "\(parameter): \(entry)")
            #expect(entry["stale"] as? Bool == false, "\(parameter): \(entry)")
            #expect(WireClockText.isWallClock(entry["measuredAt"]), "\(parameter): \(entry)")
        }
        #expect(fresh["spo2"]?["maximumAgeSeconds"] as? Double == 4)
        let top = try chair.topOnce()
        for row in [#"SpO2   \d+ +% +pleth  \d+ s ago"#, #"HR     \d+ +/min +ECG    \d+ s ago"#, #"NIBP   \d+/\d+ \(\d+\) mmHg, \d+ s ago"#] {
            #expect(top.range(of: row, options: .regularExpression) != nil, "\(row) in\n\(top)")
        }

        // The monitor falls silent: after 4 s every continuous value is stale, and shown so.
        #expect(try chair.control(chair.monitorPath, "fault no-frames on").hasPrefix("ok"))
        #expect(try eventually(within: 10) { try chair.vitals(client)["spo2"]?["stale"] as? Bool == true })
        let stale = try chair.vitals(client)
        for parameter in ["spo2", "pulseRate", "perfusionIndex", "ecgHeartRate"] {
            #expect(stale[parameter]?["stale"] as? Bool == true, "\(parameter): \(stale[parameter] ?? [:])")
        }
        #expect(stale["nibpSystolic"]?["stale"] as? Bool == false, "a cuff reading is stale only once overdue")
        let staleTop = try chair.topOnce()
        for label in ["SpO2", "Pulse", "HR"] {
            let line = staleTop.split(separator: "\n").first { $0.hasPrefix("   \(label) ") }.map(String.init) ?? ""
            #expect(line.range(of: #"^   \w+ +-- +\S+ +\w+ +STALE: last \d+, \d+ s ago$"#, options: .regularExpression) != nil,
                    "\(label) shown as current:\n\(staleTop)")
        }
        #expect(try chair.control(chair.monitorPath, "faults").contains("no-frames"))
    }

    /// ECG and pleth rates that disagree: each source is judged on its own, and only the sources the rule
    /// lists may raise `heartRateHigh`; the disagreement is its own low-priority alarm.
    @Test func ecgAndPlethThatDisagreeRaiseTheRightAlarmFromTheRightSource() throws {
        // heartRateHigh from the ECG only, with short delays for the drill.
        let core = #"""
            {"vitalAlarmRules":[{"condition":"heartRateHigh","parameters":["ecgHeartRate"],
              "high":{"comparison":"atOrAbove","limit":130,"delaySeconds":1}}],
             "heartRateAgreement":{"maximumGapBeatsPerMinute":20,"delaySeconds":2}}
            """#
        let chair = try SimulatedChair(
            monitorProtocol: "intellivue", preset: "typical", timeScale: 1, coreConfiguration: core,
            devicesConfiguration: Self.fastDevices)
        let client = try chair.client()
        defer { client.close() }
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        #expect(try eventually(within: 20) { try chair.vitals(client)["ecgHeartRate"] != nil })
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)

        // The pulse oximeter counts 140, the ECG the patient's own rate: they disagree, and the pleth is
        // not a source of heartRateHigh here.
        #expect(try chair.control(chair.monitorPath, "pleth-rate 140").hasPrefix("ok"))
        let disagreement = try chair.waitForAlarm("raised", "heartRateSourcesDisagree", on: watcher)
        #expect(disagreement["priority"] as? String == "low")
        sleep(1)
        let shown = try chair.chairStatus(client)
        #expect((shown["alarms"] as? [String: String])?["heartRateHigh"] == nil, "\(shown)")
        var vitals = try chair.vitals(client)
        #expect(vitals["pulseRate"]?["value"] as? Double == 140 && vitals["pulseRate"]?["source"] as? String == "pleth")
        #expect((vitals["ecgHeartRate"]?["value"] as? Double).map { $0 < 100 } == true, "\(vitals)")
        var device = try chair.simulatorState(chair.monitorPath)
        #expect(device["pleth-rate"] == "140.0" && Double(device["ecg-rate"] ?? "") ?? 999 < 100, "\(device)")

        // Now the ECG counts 140 and the pleth follows the patient: heartRateHigh, from the ECG.
        #expect(try chair.control(chair.monitorPath, "pleth-rate off").hasPrefix("ok"))
        #expect(try chair.control(chair.monitorPath, "ecg-rate 140").hasPrefix("ok"))
        let high = try chair.waitForAlarm("raised", "heartRateHigh", on: watcher)
        #expect(high["priority"] as? String == "high")
        vitals = try chair.vitals(client)
        #expect(vitals["ecgHeartRate"]?["value"] as? Double == 140 && vitals["ecgHeartRate"]?["source"] as? String == "ecg")
        #expect((vitals["pulseRate"]?["value"] as? Double).map { $0 < 100 } == true, "\(vitals)")
        device = try chair.simulatorState(chair.monitorPath)
        #expect(device["ecg-rate"] == "140.0", "\(device)")
        // The sources disagree the other way round now: the low-priority alarm again, after its delay.
        _ = try chair.waitForAlarm("raised", "heartRateSourcesDisagree", on: watcher)
    }

    /// With `confirmBloodPressureBeforePause`, a high cuff reading asks the nurse for the confirming one
    /// (infusiond cannot start the cuff): an `interlock` event, `status` and `top` say so while the pump
    /// keeps running; the next cuff reading, still high, pauses the pump and ends the request.
    @Test func aHighCuffReadingAsksTheNurseForTheConfirmingOne() throws {
        // Only the systolic rule, so nothing else pauses first; time scale 10: the monitor's own cuff
        // cycle (5 simulated minutes) does not come during the drill.
        let core = #"""
            {"requireBaselineBloodPressure":true,"interlock":{"confirmBloodPressureBeforePause":true},
             "vitalAlarmRules":[{"condition":"systolicHigh","parameters":["nibpSystolic"],
              "high":{"comparison":"atOrAbove","limit":180,"delaySeconds":0}}]}
            """#
        let chair = try SimulatedChair(preset: "typical", timeScale: 10, coreConfiguration: core, devicesConfiguration: Self.fastDevices)
        let client = try chair.client()
        defer { client.close() }
        try chair.admitAndProgram(client)
        #expect(try chair.startWhenBaselineIsIn(client).ok)
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump"]}"#)

        // A pressor surge, then the monitor's Start NBP key: one high reading.
        try chair.control(chair.monitorPath, "concentration 50000")
        #expect(try eventually(within: 15) { Double(try chair.simulatorState(chair.monitorPath)["systolic"] ?? "") ?? 0 > 190 })
        try chair.control(chair.monitorPath, "nibp-start")
        let asked = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "interlock" && $0.detail["kind"] as? String == "awaitingConfirmingReading"
        }
        #expect(asked.detail["causes"] as? [String] == ["systolicHigh"], "\(asked)")
        let waiting = try chair.chairStatus(client)
        #expect(waiting["state"] as? String == "infusing", "\(waiting)")
        #expect((waiting["confirmingCuffReadingRequested"] as? [String: Any])?["causes"] as? [String] == ["systolicHigh"])
        #expect(try chair.topOnce().contains(">>> START A CUFF MEASUREMENT on the monitor now: systolicHigh"))
        #expect(try chair.simulatorState(chair.pumpPath)["status"] == "I", "the pump still runs until the confirming reading")

        // The nurse starts the cuff: still high, so the pump is paused and nothing is awaited any more.
        try chair.control(chair.monitorPath, "nibp-start")
        _ = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "interlock" && $0.detail["kind"] as? String == "awaitingConfirmingReadingEnded"
        }
        let paused = try chair.chairStatus(client)
        #expect(paused["state"] as? String == "paused" && paused["confirmingCuffReadingRequested"] == nil, "\(paused)")
        #expect(!(try chair.topOnce().contains("START A CUFF MEASUREMENT")))
        #expect(try eventually(within: 10) { try chair.simulatorState(chair.pumpPath)["status"] != "I" })
    }
}
