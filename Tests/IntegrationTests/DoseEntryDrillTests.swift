import Foundation
import Testing

/// Issue 17's dose-entry and next-patient drills through the socket, with the real daemon and
/// simulators on ptys.
@Suite("Dose-entry and next-patient drills", .serialized) struct DoseEntryDrillTests {
    private func intake(_ client: LineClient, patient: String, weight: String, unit: String) throws -> [String: Any] {
        try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"\#(patient)","weight":\#(weight),"weightUnit":"\#(unit)","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
    }

    private let standardProgram =
        #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#

    /// 73.1 kg takes the standard program without a soft-limit prompt; a weight in pounds is stored in kg and
    /// shown both ways; the previous patient's cuff reading is no baseline for the next one.
    @Test func standardProgramPoundsAndThePreviousPatientsCuffReading() throws {
        // Time scale 1: the monitor's own cuff cycle (5 simulated minutes) does not come during the drill.
        let chair = try SimulatedChair(monitorProtocol: "intellivue", preset: "typical", timeScale: 1)
        let client = try chair.client()
        defer { client.close() }
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["session"]}"#)

        // Patient A, 73.1 kg: 0.5 mg/kg over 40 min is 0.75 mg/kg/h, at the soft limit within rounding.
        #expect(try intake(client, patient: "P-A", weight: "73.1", unit: "kg").ok)
        let program = try client.request(standardProgram)
        #expect(program.ok, "no override asked: \(program)")
        #expect(abs((program.result["programmedMilligrams"] as? Double ?? 0) - 36.55) < 1e-9, "\(program)")
        // Patient A's cuff reading, taken after A's intake.
        try chair.control(chair.monitorPath, "nibp-start")
        #expect(try eventually(within: 15) { try chair.vitals(client)["nibpSystolic"] != nil })

        // Patient B, 161.2 lb: stored as kilograms, shown as entered.
        let pounds = try intake(client, patient: "P-B", weight: "161.2", unit: "lb")
        #expect(pounds.ok, "\(pounds)")
        let shown = try chair.chairStatus(client)
        #expect(shown["weightUnit"] as? String == "lb" && shown["enteredWeight"] as? Double == 161.2, "\(shown)")
        #expect(abs((shown["weightKilograms"] as? Double ?? 0) - 161.2 * 0.45359237) < 1e-6, "\(shown)")
        #expect(shown["state"] as? String == "intake")
        let vitals = (shown["vitals"] as? [[String: Any]] ?? []).compactMap { $0["parameter"] as? String }
        #expect(!vitals.contains("nibpSystolic"), "A's cuff reading is not shown for B: \(vitals)")
        let programB = try client.request(standardProgram)
        #expect(programB.ok, "\(programB)")
        #expect(abs((programB.result["programmedMilligrams"] as? Double ?? 0) - 0.5 * 161.2 * 0.45359237) < 1e-6)

        // A's cuff reading is refused as B's baseline (once the links are up and vitals flow).
        var refused: [String: Any] = [:]
        _ = try eventually(within: 20) {
            refused = try client.request(#"{"cmd":"start","chair":"1"}"#)
            return !["pump-link-down", "monitor-link-down", "vitals-stale"].contains(refused.errorCode ?? "")
        }
        #expect(refused.errorCode == "no-baseline-bp", "\(refused)")
        // B's own reading, after B's intake, is accepted.
        try chair.control(chair.monitorPath, "nibp-start")
        let started = try chair.startWhenBaselineIsIn(client)
        #expect(started.ok, "\(started)")

        // No soft-limit prompt or override at any step, up to the start.
        var limitOutcomes: [String] = []
        while true {
            let message = try watcher.readJSON()
            if message["event"] as? String == "limit" { limitOutcomes.append(message.detail["outcome"] as? String ?? "?") }
            if message["event"] as? String == "session.state", message.detail["to"] as? String == "infusing" { break }
        }
        #expect(!limitOutcomes.contains { $0.hasPrefix("refused") || $0 == "overridden" }, "\(limitOutcomes)")
    }

    /// A pause cause stays latched across a daemon restart: the restart alarm is acknowledged first, and the
    /// resume is still refused until the cause itself is acknowledged. The pump stays still until then.
    @Test func aRestartKeepsTheLatchedPauseCauses() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms","session"]}"#)
        #expect(try eventually(within: 10) { try chair.simulatorState(chair.pumpPath)["status"] == "I" })

        // The monitor is unplugged while infusing: the interlock pauses; plugged back, the alarm is latched.
        try chair.control(chair.monitorPath, "disconnect")
        _ = try chair.waitForAlarm("raised", "monitorLinkLost", on: watcher)
        #expect(try eventually(within: 10) { try chair.chairStatus(client)["state"] as? String == "paused" })
        try chair.control(chair.monitorPath, "reconnect")
        _ = try chair.waitForAlarm("latched", "monitorLinkLost", on: watcher)
        client.close()
        watcher.close()

        try chair.restartDaemon(after: SIGKILL)
        let after = try chair.client()
        defer { after.close() }
        #expect(try eventually(within: 20) { try chair.chairStatus(after)["state"] as? String == "paused" })
        // The cause comes back unacknowledged (latched once the restarted daemon has the monitor again).
        #expect(try eventually(within: 20) {
            let active = (try chair.chairStatus(after)["activeAlarms"] as? [[String: Any]]) ?? []
            let linkLost = active.first { $0["condition"] as? String == "monitorLinkLost" }
            return linkLost?["isLatched"] as? Bool == true && linkLost?["isAcknowledged"] as? Bool == false
        })
        #expect(try chair.monitorLink(after) == "up")

        #expect(try after.request(#"{"cmd":"resume","chair":"1"}"#).errorCode == "restart-unacknowledged")
        #expect(try after.request(#"{"cmd":"ack","chair":"1","condition":"restartRecovery"}"#).ok)
        let refused = try after.request(#"{"cmd":"resume","chair":"1"}"#)
        #expect(refused.errorCode == "alarm-unacknowledged", "\(refused)")
        let message = (refused["error"] as? [String: Any])?["message"] as? String
        #expect(message?.contains("monitorLinkLost") == true, "\(refused)")
        #expect(try chair.simulatorState(chair.pumpPath)["status"] != "I", "the pump is still")

        #expect(try after.request(#"{"cmd":"ack","chair":"1","condition":"monitorLinkLost"}"#).ok)
        // The restart alarm ends once the pump is read back; then the resume goes through.
        #expect(try eventually(within: 20) { try after.request(#"{"cmd":"resume","chair":"1"}"#).ok })
        #expect(try eventually(within: 10) { try chair.simulatorState(chair.pumpPath)["status"] == "I" })
    }
}
