import Foundation
import Testing

/// `infusionctl top` against a real daemon driving simulated devices.
@Suite(.serialized)
struct TopTests {

    /// `top --once` gathering for 3 s. A monitor reports each cuff reading once, when taken (every 5 min by
    /// default), so the monitor's Start NBP key is pressed a second into the window for a fresh reading.
    private func once(_ chair: SimulatedChair) throws -> CommandOutcome {
        let pressStartNBP = "sleep 1; echo nibp-start | socat -t 2 - UNIX-CONNECT:'\(chair.monitorPath).control' >/dev/null"
        return try Shell.run(
            "(\(pressStartNBP)) & '\(BuiltProducts.path("infusionctl"))' top --once --gather 3 --socket '\(chair.daemon.socketPath)'; wait",
            timeout: 30)
    }

    @Test func oncePrintsTheChairsSessionRateDoseAndVitalsAsPlainText() throws {
        let chair = try SimulatedChair.infusing()
        let outcome = try once(chair)
        let text = outcome.stdout
        #expect(outcome.status == 0)
        #expect(text.contains("Chair 1: infusing  ketamine-psychiatric (ketamine), 70.0 kg"), "\(text)")
        // 0.5 mg/kg over 40 min at 70 kg: 35 mg at 0.75 mg/kg/h, 5.25 mL/h of 10 mg/mL.
        #expect(text.contains("5.25 mL/h = 0.750 mg/kg/h"), "\(text)")
        #expect(text.contains(" / 35.00 mg"), "\(text)")
        // The 50 mL loaded, less the little delivered so far (issue 16 item 5).
        #expect(text.range(of: #"syringe (49\.\d\d|50\.00) mL left"#, options: .regularExpression) != nil, "\(text)")
        #expect(text.contains(" s left"), "\(text)")
        #expect(text.contains("Predicted Cp "), "\(text)")
        #expect(text.contains("band ≤ soft 300, ≤ hard 500  within"), "\(text)")
        #expect(text.contains("SpO2"))
        #expect(text.range(of: #"NIBP   \d+/\d+ \(\d+\) mmHg, \d+ s ago"#, options: .regularExpression) != nil, "\(text)")
        #expect(text.contains("Links: monitor up, pump up"))
        #expect(!text.contains("\u{1B}["), "plain text has no escape sequences")
    }

    @Test func onceShowsAlarmsRaisedBeforeItConnectedWithTheirInactivationState() throws {
        let chair = try SimulatedChair.infusing()
        let client = try chair.client()
        defer { client.close() }
        _ = try client.request(#"{"cmd":"watch","topics":["alarms"]}"#)
        try chair.control(chair.monitorPath, "disconnect")
        _ = try chair.waitForEvent(on: client, timeout: 30) { $0.detail["condition"] as? String == "monitorLinkLost" }
        let silenced = try client.request(#"{"cmd":"silence","chair":"1"}"#)
        #expect(silenced.ok, "\(silenced)")

        let paused = try once(chair).stdout
        let pausedLine = paused.split(separator: "\n").first { $0.contains("monitorLinkLost") }.map(String.init) ?? ""
        #expect(pausedLine.range(of: #"^   \*+ monitorLinkLost \(\w+\) audio paused, 1\d\d s left$"#,
                                 options: .regularExpression) != nil, "\(paused)")

        let acknowledged = try client.request(#"{"cmd":"ack","chair":"1"}"#)
        #expect(acknowledged.ok, "\(acknowledged)")
        let after = try once(chair).stdout
        #expect(after.contains("monitorLinkLost (high) acknowledged"), "\(after)")
    }

    @Test func onceFailsWithTheUnreachableStatusWithoutADaemon() throws {
        let scratch = try ScratchDirectory()
        let outcome = try Shell.run(
            "'\(BuiltProducts.path("infusionctl"))' top --once --socket '\(scratch.file("none.sock"))'", timeout: 10)
        #expect(outcome.status == 69)
    }
}
