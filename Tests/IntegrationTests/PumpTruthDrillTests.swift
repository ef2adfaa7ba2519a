import Foundation
import Testing

/// Issue 16's drills on the bench: the real daemon and the NE-1000 simulator on a pty, each fault
/// checked on the simulator's side (what the pump does) as well as in what infusiond shows.
@Suite("Pump truth drills", .serialized) struct PumpTruthDrillTests {
    /// The simulator's `state` line as key/value pairs.
    private func pumpState(_ chair: SimulatedChair) throws -> [String: String] {
        let line = try chair.control(chair.pumpPath, "state")
        var fields: [String: String] = [:]
        for pair in line.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return fields
    }

    private func chairStatus(_ client: LineClient) throws -> [String: Any] {
        (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first ?? [:]
    }

    private func alarmNames(_ chair: [String: Any]) -> [String: String] {
        (chair["alarms"] as? [String: String]) ?? [:]
    }

    /// Waits until `condition` holds, polling; returns whether it did before `timeout`.
    private func eventually(within timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(200_000)
        }
        return try condition()
    }

    /// The pump executes commands but its replies are lost: infusiond declares the link lost, then
    /// stays silent on the port past the pump's 5 s safe-mode timeout, so the pump stops itself
    /// (`A?T`) instead of being kept alive by polls and reopen attempts.
    @Test func aPumpWhoseRepliesAreLostStopsItselfAndTheChairShowsDeliveryUncertain() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        #expect(try eventually(within: 10) { try pumpState(chair)["status"] == "I" })
        #expect(try chair.control(chair.pumpPath, "fault no-reply on").hasPrefix("ok"))
        let faultAt = Date()

        // linkLostSeconds 2 (poll timeouts) + safe mode 5 s + reply timing and margin.
        let stopped = try eventually(within: 14) { try pumpState(chair)["status"] != "I" }
        let stoppedAfter = Date().timeIntervalSince(faultAt)
        let pump = try pumpState(chair)
        #expect(stopped, "the simulated pump still infuses: \(pump)")
        #expect(pump["alarm"] == "A?T" || pump["status"] == "A", "stopped by its safe-mode timer: \(pump)")
        let infused = Double(pump["infused_ml"] ?? "") ?? -1
        sleep(2)
        #expect(Double(try pumpState(chair)["infused_ml"] ?? "") == infused, "the plunger no longer moves")
        #expect(stoppedAfter < 14, "stopped \(stoppedAfter) s after the fault")

        let shown = try chairStatus(client)
        #expect(shown["deliveryUncertain"] as? Bool == true, "\(shown)")
        #expect(shown["deliveryUncertainReason"] as? String == "pump-link-down", "\(shown)")
        #expect(shown["flowMillilitresPerHour"] == nil, "the flow is unknown, not 0 and not the commanded 5.25: \(shown)")
        #expect(alarmNames(shown)["pumpLinkLost"] == "high", "\(shown)")

        // Replies come back: infusiond reopens after its silence, reads the pump back, and the
        // pump stays stopped (never resumed by the daemon).
        #expect(try chair.control(chair.pumpPath, "fault no-reply off").hasPrefix("ok"))
        let certain = try eventually(within: 20) { try chairStatus(client)["deliveryUncertain"] as? Bool == false }
        let after = try chairStatus(client)
        #expect(certain, "\(after)")
        #expect(after["state"] as? String == "paused", "\(after)")
        #expect(try pumpState(chair)["status"] != "I")
        client.close()
    }

    /// A pump that misses one `STP` keeps running; infusiond's read-back sees it, says why
    /// (`pump.command-failed` with reason `read-back-mismatch`) and sends the pause again until the
    /// pump is confirmed still.
    @Test func aPauseThePumpIgnoredIsRepeatedUntilThePumpIsStill() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["pump"]}"#)
        #expect(try eventually(within: 10) { try pumpState(chair)["status"] == "I" })
        #expect(try chair.control(chair.pumpPath, "fault ignore-stop on").hasPrefix("ok"))

        let paused = try client.request(#"{"cmd":"pause","chair":"1","reason":"nausea"}"#)
        #expect(paused.ok, "\(paused)")
        let failed = try chair.waitForEvent(on: watcher) { $0["event"] as? String == "pump.command-failed" }
        #expect(failed.detail["reason"] as? String == "read-back-mismatch", "\(failed)")
        #expect((failed.detail["command"] as? [String: Any])?["command"] as? String == "pause", "\(failed)")
        #expect(failed.detail["message"] is String)

        #expect(try eventually(within: 10) { try pumpState(chair)["status"] == "P" }, "the repeated STP paused the pump")
        #expect(try chair.control(chair.pumpPath, "faults").contains("none"))
        let infused = Double(try pumpState(chair)["infused_ml"] ?? "")
        sleep(1)
        #expect(Double(try pumpState(chair)["infused_ml"] ?? "") == infused)
        #expect(try eventually(within: 5) { try chairStatus(client)["deliveryUncertain"] as? Bool == false })
        #expect(try chairStatus(client)["state"] as? String == "paused")
        watcher.close()
        client.close()
    }

    /// A program naming the BD 20 mL syringe puts its 19.05 mm on the pump (read from the simulator);
    /// a diameter then changed on the pump's keypad refuses the start with a technical alarm and the
    /// simulated pump never runs; confirming the syringe sets it again and the start goes ahead.
    @Test func theProgramsSyringeReachesThePumpAndAKeypadChangeRefusesTheStart() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let client = try chair.client()
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-20","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":20,"totalDose":0.5,"durationMinutes":40,"syringe":"bd-20"}"#)
        #expect(program.ok, "\(program)")
        #expect(try eventually(within: 10) { try pumpState(chair)["diameter_mm"] == "19.05" }, "the BD 20 mL diameter on the pump")

        #expect(try chair.control(chair.pumpPath, "keypad-diameter 29.7").hasPrefix("ok"))
        func startUntilDecided() throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(30)
            while true {
                let reply = try client.request(#"{"cmd":"start","chair":"1"}"#)
                let notYet = ["syringe-not-confirmed", "pump-link-down", "monitor-link-down", "vitals-stale"]
                if reply.ok || !notYet.contains(reply.errorCode ?? "") || Date() > deadline { return reply }
                usleep(250_000)
            }
        }
        let refused = try startUntilDecided()
        #expect(refused.errorCode == "syringe-diameter-mismatch", "\(refused)")
        #expect(alarmNames(try chairStatus(client))["pumpSyringeMismatch"] == "medium")
        sleep(1)
        #expect(try pumpState(chair)["status"] != "I", "the pump never ran on the wrong diameter")
        #expect(try pumpState(chair)["diameter_mm"] == "29.7", "infusiond did not silently change it back")

        let confirmed = try client.request(
            #"{"cmd":"syringe","chair":"1","drugName":"ketamine","concentration":10,"volume":20,"syringe":"bd-20"}"#)
        #expect(confirmed.ok, "\(confirmed)")
        #expect(try eventually(within: 10) { try pumpState(chair)["diameter_mm"] == "19.05" })
        let started = try startUntilDecided()
        #expect(started.ok, "\(started)")
        #expect(try eventually(within: 10) { try pumpState(chair)["status"] == "I" })
        #expect(alarmNames(try chairStatus(client))["pumpSyringeMismatch"] == nil)
        client.close()
    }

    /// A pump set to address 7 with a 3 s safe-mode timeout (the binding's per-device settings) is
    /// driven at that address and armed with that timeout: the simulator reports both.
    @Test func aPumpsOwnSettingsReachThePump() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpArguments: ["--address", "7"],
            pumpSettings: #"{"address":7,"safeModeTimeoutSeconds":3}"#,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        let started = try chair.startWhenBaselineIsIn(client)
        #expect(started.ok, "\(started)")
        #expect(try eventually(within: 10) { try pumpState(chair)["status"] == "I" })
        let pump = try pumpState(chair)
        #expect(pump["address"] == "7" && pump["safe_timeout_s"] == "3", "\(pump)")
        client.close()
    }

    /// A 0.3 mL syringe at 5.25 mL/h (a Harvard simulator whose plunger runs 60 times faster than real
    /// time; an NE-1000's safe-mode timer would run 60 times faster too): near-empty (low) at once, since
    /// it holds less than 5 min; then empty (high), the chair paused, and the simulated pump stopped by
    /// its own target at the syringe's contents.
    @Test func aSmallSyringeRaisesNearEmptyThenEmptyAndThePumpStopsAtItsContents() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpProtocol: "harvard", pumpTimeScale: 60,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)
        let client = try chair.client()
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-03","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        #expect(intake.ok, "\(intake)")
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":0.3,"totalDose":0.5,"durationMinutes":40}"#)
        #expect(program.ok, "\(program)")
        let started = try chair.startWhenBaselineIsIn(client)
        #expect(started.ok, "\(started)")
        let nearEmpty = try chair.waitForEvent(on: watcher) { $0.detail["condition"] as? String == "pumpNearEmpty" }
        #expect(nearEmpty.detail["priority"] as? String == "low")
        let empty = try chair.waitForEvent(on: watcher, timeout: 30) { $0.detail["condition"] as? String == "pumpSyringeEmpty" }
        #expect(empty.detail["priority"] as? String == "high")
        #expect(try eventually(within: 5) { try chairStatus(client)["state"] as? String == "paused" })
        let pump = try pumpState(chair)
        #expect(pump["prompt"] != ">", "\(pump)")
        #expect(abs((Double(pump["infused_ml"] ?? "") ?? 0) - 0.3) < 0.005, "stopped at the syringe's contents: \(pump)")
        #expect((try chairStatus(client)["syringeRemainingMillilitres"] as? Double ?? 1) < 0.01)
        watcher.close()
        client.close()
    }
}
