import Foundation
import Testing

/// The whole chain with real processes: monitor and pump simulators on ptys speaking their wire
/// protocols, infusiond's drivers and control thread, and a client on the socket.
@Suite("End to end", .serialized) struct EndToEndTests {
    @Test func standardInfusionReachesThePumpAndPausesOnCommand() throws {
        let chair = try SimulatedChair(preset: "typical", timeScale: 1)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump","devices"]}"#)
        let client = try chair.client()
        let devices = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
        #expect(devices.count == 2)
        try chair.admitAndProgram(client)
        let started = try chair.startWhenBaselineIsIn(client)
        #expect(started.ok, "\(started)")

        let infusing = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["state"] as? String == "infusing"
        }
        #expect(infusing.detail["rateMillilitresPerHour"] as? Double == 5.25, "0.5 mg/kg/40 min, 70 kg, 10 mg/mL")

        let paused = try client.request(#"{"cmd":"pause","chair":"1","reason":"patient request"}"#)
        #expect(paused.result["state"] as? String == "paused")
        _ = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["state"] as? String == "paused"
        }
        let simulatorSays = try chair.control(chair.pumpPath, "state")
        #expect(simulatorSays.contains("status=P") || simulatorSays.contains("status=S"), "the pump itself stopped: \(simulatorSays)")
    }

    /// Titration through the socket reaches the pump at once; hard limits never yield, soft ones need
    /// a confirmation with a reason, and every limit decision is an event.
    @Test func titrationHonoursLimitsAndReachesThePump() throws {
        let chair = try SimulatedChair(preset: "typical", timeScale: 1)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump","session"]}"#)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        #expect(try chair.startWhenBaselineIsIn(client).ok)

        let slip = try client.request(#"{"cmd":"rate","chair":"1","rate":7.5,"unit":"mg/kg/h"}"#)
        #expect(slip.errorCode == "hard-limit", "a ten-fold slip: \(slip)")
        let unconfirmed = try client.request(#"{"cmd":"rate","chair":"1","rate":0.9,"unit":"mg/kg/h"}"#)
        #expect(unconfirmed.errorCode == "soft-limit-needs-override")
        let noReason = try client.request(#"{"cmd":"rate","chair":"1","rate":0.9,"unit":"mg/kg/h","confirm":true}"#)
        #expect(noReason.errorCode == "override-reason-missing")
        let accepted = try client.request(
            #"{"cmd":"rate","chair":"1","rate":0.9,"unit":"mg/kg/h","confirm":true,"reason":"prescriber order"}"#)
        #expect(accepted.ok, "\(accepted)")

        let overridden = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "limit" && $0.detail["outcome"] as? String != "hardRefused"
                && $0.detail["reason"] as? String == "prescriber order"
        }
        #expect(overridden.detail["operatorID"] as? String == "uid:0")
        // 0.9 mg/kg/h × 70 kg ÷ 10 mg/mL = 6.3 mL/h, read back from the pump itself.
        let readBack = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["rateMillilitresPerHour"] as? Double == 6.3
        }
        #expect(readBack.detail["state"] as? String == "infusing")
    }

    /// A bolus on a pain infusion reaches the pump on top of the running rate, and the pump is set back
    /// to the program's rate when the push time is over (the minimum shortened to 5 s by configuration
    /// here); `top` shows it while it runs.
    @Test func bolusRunsOnThePumpAndReturnsToTheProgramRate() throws {
        let chair = try SimulatedChair(preset: "typical", timeScale: 1, coreConfiguration: #"{"minimumBolusSeconds":5}"#)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump","session"]}"#)
        let client = try chair.client()
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-18","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-chronic-pain","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        try chair.control(chair.monitorPath, "nibp-start")
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"rate":{"value":0.5,"unit":"mg/kg/h"}}"#)
        #expect(program.ok, "\(program)")
        #expect(try chair.startWhenBaselineIsIn(client).ok)
        _ = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["rateMillilitresPerHour"] as? Double == 3.5
        }

        let tooFast = try client.request(#"{"cmd":"bolus","chair":"1","dose":0.02,"seconds":2}"#)
        #expect(tooFast.errorCode == "bolus-too-fast", "\(tooFast)")
        // Through infusionctl: --confirm and --reason do not move a hard limit.
        let tooLarge = try Shell.run(
            "'\(BuiltProducts.path("infusionctl"))' bolus --chair 1 0.5 --seconds 600 --confirm --reason 'per order'"
                + " --socket '\(chair.daemon.socketPath)'")
        #expect(tooLarge.status == 1 && tooLarge.stderr.contains("hard-limit"), "\(tooLarge.stderr)")
        // 0.02 mg/kg × 70 kg = 1.4 mg = 0.14 mL in 10 s = 50.4 mL/h on top of 3.5 mL/h.
        let given = try client.request(#"{"cmd":"bolus","chair":"1","dose":0.02,"seconds":10}"#)
        #expect(given.ok, "\(given)")
        let top = try Shell.run("'\(BuiltProducts.path("infusionctl"))' top --once --gather 1 --socket '\(chair.daemon.socketPath)'")
        #expect(top.stdout.contains("BOLUS"), "\(top.stdout)")
        let pushing = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && abs(($0.detail["rateMillilitresPerHour"] as? Double ?? 0) - 53.9) < 0.05
        }
        #expect(pushing.detail["state"] as? String == "infusing")
        let finished = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "session.bolus" && $0.detail["kind"] as? String == "finished"
        }
        #expect(finished.detail["dose"] as? Double == 1.4)
        _ = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["rateMillilitresPerHour"] as? Double == 3.5
        }
        let simulatorSays = try chair.control(chair.pumpPath, "state")
        #expect(simulatorSays.contains("rate=3.5MH") && simulatorSays.contains("status=I"), "\(simulatorSays)")

        // The session report lists the bolus and the return among the rate changes.
        let report = try client.request(#"{"cmd":"report","chair":"1","format":"json"}"#)
        let text = try #require(report.result["text"] as? String, "\(report)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let changes = (parsed["rateChanges"] as? [[String: Any]] ?? []).map { ($0["reason"] as? String ?? "", $0["value"] as? Double ?? 0) }
        #expect(changes.contains { $0.0 == "bolus" && abs($0.1 - 53.9) < 0.001 }, "\(changes)")
        #expect(changes.last.map { $0.0 == "bolus-finished" && $0.1 == 3.5 } == true, "\(changes)")
    }

    /// The simulator repeats its last cuff reading until its next 5-minute cycle, so the pressor
    /// response is driven through the continuous heart rate: a high heart-rate alarm pauses the pump.
    @Test func highPhysiologicalAlarmPausesThePumpWhichNeverResumesAlone() throws {
        let chair = try SimulatedChair(preset: "hypertensive", timeScale: 60)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump","alarms"]}"#)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        #expect(try chair.startWhenBaselineIsIn(client).ok)
        _ = try chair.waitForEvent(on: watcher) { $0.detail["state"] as? String == "infusing" }

        // A large plasma concentration drives heart rate past the high threshold (130/min).
        try chair.control(chair.monitorPath, "concentration 5000")
        let alarm = try chair.waitForEvent(on: watcher, timeout: 40) {
            ($0["event"] as? String)?.hasPrefix("alarm.") == true && $0.detail["condition"] as? String == "heartRateHigh"
                && $0.detail["priority"] as? String == "high"
        }
        #expect(alarm.detail["category"] as? String == "physiological")
        // The hypertensive patient's pressure may have paused the pump first (the interlock event then
        // came before this alarm): what matters is that the chair and the pump end up paused.
        let deadline = Date().addingTimeInterval(20)
        func chairState() throws -> String? {
            (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first?["state"] as? String
        }
        while try chairState() != "paused", Date() < deadline { usleep(200_000) }
        #expect(try chairState() == "paused")
        while try chair.control(chair.pumpPath, "state").contains("status=I"), Date() < deadline { usleep(200_000) }

        // Nothing resumes on its own, and an operator cannot resume past an unacknowledged alarm.
        try chair.control(chair.monitorPath, "concentration 0")
        let refused = try client.request(#"{"cmd":"resume","chair":"1"}"#)
        #expect(refused.ok == false, "\(refused)")
        let status = try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]]
        #expect(status?.first?["state"] as? String == "paused")
        let pumpState = try chair.control(chair.pumpPath, "state")
        #expect(!pumpState.contains("status=I"), "the pump is not infusing: \(pumpState)")
    }

    @Test func unpluggedPumpRaisesTheLinkAlarm() throws {
        let chair = try SimulatedChair(preset: "typical", timeScale: 1)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["devices","alarms"]}"#)
        chair.stopSimulator(chair.pump)
        let down = try chair.waitForEvent(on: watcher) { $0["event"] as? String == "device.down" }
        #expect((down["data"] as? [String: Any])?["role"] as? String == "pump")
        let client = try chair.client()
        let devices = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
        #expect(devices.first { $0["role"] as? String == "pump" }?["link"] as? String == "down")
        #expect(try client.request(#"{"cmd":"ping"}"#).ok, "the daemon keeps serving")
    }
}
