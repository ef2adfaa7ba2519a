import Foundation
import Testing

/// Issue 16 item 2 on the bench: a Harvard pump has no safe mode, so only its own target volume stops
/// it when infusiond dies. infusiond is SIGKILLed mid-program and mid-bolus; the simulated pump (its
/// plunger 120 times faster than real time) must stop at the phase's target and move no further.
@Suite("Phase target drills", .serialized) struct PhaseTargetDrillTests {
    private func pumpState(_ chair: SimulatedChair) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in try chair.control(chair.pumpPath, "state").split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return fields
    }

    private func infused(_ chair: SimulatedChair) throws -> Double { Double(try pumpState(chair)["infused_ml"] ?? "") ?? -1 }

    /// `allowBolus`: the site setting without which a Harvard chair refuses every bolus.
    private func harvardChair(allowBolus: Bool = false) throws -> SimulatedChair {
        try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpProtocol: "harvard", pumpTimeScale: 120,
            coreConfiguration: #"{"requireBaselineBloodPressure":false,"minimumBolusSeconds":5,"allowBolusWithoutPumpSideStop":\#(allowBolus)}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
    }

    private func admit(_ client: LineClient, profile: String, program: String, patient: String = "P-31") throws {
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"\#(patient)","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"\#(profile)","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        guard intake.ok else { throw Failure("intake: \(intake)") }
        let programmed = try client.request(program)
        guard programmed.ok else { throw Failure("program: \(programmed)") }
        let deadline = Date().addingTimeInterval(30)
        while true {
            let started = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if started.ok { return }
            guard Date() < deadline else { throw Failure("start: \(started)") }
            usleep(200_000)
        }
    }

    /// Waits until the pump's counter stops moving; returns it.
    private func settledVolume(_ chair: SimulatedChair, within timeout: Double) throws -> Double {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try infused(chair)
        while Date() < deadline {
            sleep(1)
            let now = try infused(chair)
            if now == last, try pumpState(chair)["prompt"] != ">" { return now }
            last = now
        }
        return last
    }

    /// 0.5 mg/kg over 40 min at 70 kg and 10 mg/mL is 3.5 mL: with infusiond dead, the pump stops at
    /// 3.5 mL (20 s of real time at ×120) instead of running until the syringe is empty.
    @Test func aHarvardPumpLeftAloneMidProgramStopsAtTheProgrammedVolume() throws {
        let chair = try harvardChair()
        let client = try chair.client()
        try admit(client, profile: "ketamine-psychiatric",
            program: #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#)
        let deadline = Date().addingTimeInterval(10)
        while try pumpState(chair)["prompt"] != ">", Date() < deadline { usleep(100_000) }
        _ = try chair.daemon.stop(signal: SIGKILL)
        let stoppedAt = try settledVolume(chair, within: 60)
        let state = try pumpState(chair)
        #expect(abs(stoppedAt - 3.5) < 0.01, "the pump stopped at \(stoppedAt) mL: \(state)\n\(chair.daemon.logText)")
        sleep(2)
        #expect(try infused(chair) == stoppedAt, "and moves no further")
    }

    /// Without the site's consent a Harvard chair refuses a bolus: the pump has no safe mode.
    @Test func aHarvardChairRefusesABolusUnlessTheSiteAllowsIt() throws {
        let chair = try harvardChair()
        let client = try chair.client()
        try admit(client, profile: "ketamine-chronic-pain",
            program: #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"rate":{"value":0.25,"unit":"mg/kg/h"}}"#)
        let bolus = try client.request(#"{"cmd":"bolus","chair":"1","dose":0.1,"seconds":5}"#)
        #expect(bolus.errorCode == "bolus-needs-pump-side-stop", "\(bolus)")
        sleep(1)
        #expect(Double(try pumpState(chair)["rate"]?.prefix { $0.isNumber || $0 == "." } ?? "") ?? 0 < 2, "still 1.75 mL/h")
    }

    /// A bolus on a pain infusion (0.1 mg/kg = 3.5 mL over the 5 s configured minimum on top of
    /// 17.5 mL/h): with infusiond dead mid-push, the pump stops at the push's target (the push plus
    /// 5 s of the program's flow), never running on at bolus rate.
    @Test func aHarvardPumpLeftAloneMidBolusStopsAtThePushsTarget() throws {
        let chair = try harvardChair(allowBolus: true)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump"]}"#)
        let client = try chair.client()
        try admit(client, profile: "ketamine-chronic-pain",
            program: #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"rate":{"value":0.25,"unit":"mg/kg/h"}}"#)
        let bolus = try client.request(#"{"cmd":"bolus","chair":"1","dose":0.1,"seconds":5}"#)
        #expect(bolus.ok, "\(bolus)")
        // Killed once the pump runs at the push's rate (about 506 mL/h), mid-push.
        func rate() throws -> Double { Double(try pumpState(chair)["rate"]?.prefix { $0.isNumber || $0 == "." } ?? "") ?? 0 }
        let deadline = Date().addingTimeInterval(5)
        while try rate() < 100, Date() < deadline { usleep(20_000) }
        _ = try chair.daemon.stop(signal: SIGKILL)
        // The last target infusiond sent before it died is the push's (the program's came first).
        var target: Double?
        while let event = try? chair.waitForEvent(on: watcher, timeout: 3, { $0["event"] as? String == "pump.command" }) {
            if event.detail["command"] as? String == "set-target" { target = event.detail["targetInfusedMillilitres"] as? Double }
        }
        let stoppedAt = try settledVolume(chair, within: 30)
        let expected = try #require(target)
        let state = try pumpState(chair)
        #expect(abs(stoppedAt - expected) < 0.01, "stopped at \(stoppedAt) mL, the push's target is \(expected) mL: \(state)")
        #expect(stoppedAt < 5, "far below the 50 mL syringe a pump without a target would empty")
    }

    /// Two patients on the same pump: the second session's first start clears the pump's counter, so it
    /// starts at 0 delivered and ends at its own dose (0.05 mg/kg at 70 kg = 3.5 mg = 0.35 mL), not at
    /// the first session's plus its own.
    @Test func aSecondSessionOnTheSamePumpStartsAtZero() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpProtocol: "harvard", pumpTimeScale: 60,
            coreConfiguration: #"{"requireBaselineBloodPressure":false,"recovery":{"minimumObservationSeconds":1}}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let client = try chair.client()
        func status() throws -> [String: Any] { (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first ?? [:] }
        func waitFor(_ what: String, within timeout: Double = 30, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while try !condition() {
                guard Date() < deadline else { throw Failure("\(what) within \(timeout) s: \(try status())") }
                usleep(200_000)
            }
        }
        // Both links up before the first intake, so no link alarm is left latched at discharge.
        try waitFor("vitals") { (try status()["vitals"] as? [Any])?.isEmpty == false }
        let program = #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.05,"durationMinutes":4}"#
        for (session, patient) in ["P-A", "P-B"].enumerated() {
            try admit(client, profile: "ketamine-psychiatric", program: program, patient: patient)
            let delivered = try #require(try status()["deliveredMilligrams"] as? Double)
            #expect(delivered < 1, "session \(session + 1) starts near 0 mg, not the previous patient's: \(delivered)")
            try waitFor("complete") { try status()["state"] as? String == "complete" }
            let done = try #require(try status()["deliveredMilligrams"] as? Double)
            #expect(abs(done - 3.5) < 0.05, "session \(session + 1) delivered \(done) mg")
            #expect(abs(try infused(chair) - 0.35) < 0.005, "the pump's own counter holds this session's 0.35 mL only")
            let aldrete = #"{"activity":2,"respiration":2,"circulation":2,"consciousness":2,"oxygenSaturation":2}"#
            #expect(try client.request(#"{"cmd":"recovery","chair":"1","aldrete":\#(aldrete)}"#).ok)
            // The profile's discharge scores: awake and not nauseated, observed after the infusion.
            #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"nausea":0}}"#).ok)
            try waitFor("discharge-ready") { try status()["state"] as? String == "dischargeReady" }
            #expect(try client.request(#"{"cmd":"discharge","chair":"1"}"#).ok)
        }
    }
}
