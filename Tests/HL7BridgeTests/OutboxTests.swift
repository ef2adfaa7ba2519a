import ClinicalExports
import Foundation
import HL7Bridge
import InfusionCore
import Testing

@Suite struct OutboxTests {
    static var configuration: BridgeConfiguration {
        var configuration = BridgeConfiguration()
        configuration.observationPeriodSeconds = 60
        return configuration
    }

    /// A session: intake, program, a reading, start, a titration, an occlusion that pauses, its clearing, and
    /// readings in later observation periods.
    static let session: [String] = [
        EventLines.session(10, from: "idle", to: "intake", reason: "intake", at: "2026-12-07T10:00:00.000Z", programmed: false),
        EventLines.session(11, from: "intake", to: "programmed", reason: "programmed", at: "2026-12-07T10:00:01.000Z"),
        EventLines.vital(12, "spo2", 98, at: "2026-12-07T10:00:02.000Z"),
        EventLines.setRate(13, 5.25),
        EventLines.session(14, from: "programmed", to: "infusing", reason: "operator", at: "2026-12-07T10:00:03.000Z"),
        EventLines.setRate(15, 6),
        EventLines.setRate(16, 6),
        EventLines.delivery(17, flow: 6, dose: 0.5, at: "2026-12-07T10:01:00.500Z"),
        EventLines.alarm(18, "raised", at: "2026-12-07T10:01:00.600Z"),
        EventLines.session(19, from: "infusing", to: "paused", reason: "interlock", at: "2026-12-07T10:01:01.000Z"),
        EventLines.alarm(20, "cleared", at: "2026-12-07T10:01:05.000Z"),
        EventLines.vital(21, "spo2", 97, at: "2026-12-07T10:02:00.000Z"),
        EventLines.vital(22, "pulseRate", 71, at: "2026-12-07T10:02:00.000Z"),
        EventLines.session(23, from: "paused", to: "complete", reason: "operator-stopped", at: "2026-12-07T10:02:30.000Z"),
    ]

    static func events(_ lines: [String]) throws -> [DaemonEvent] {
        try lines.map { line in
            guard case .event(let event) = try DaemonLine.parse(line) else { throw Failure("not an event: \(line)") }
            return event
        }
    }

    static func run(_ lines: [String], outbox: inout Outbox) throws -> [OutboundMessage] {
        try events(lines).flatMap { outbox.handle($0) }
    }

    static func field(_ text: String, segment: String, _ number: Int, occurrence: Int = 0) -> String? {
        let matching = text.split(separator: "\r").filter { $0.hasPrefix(segment + "|") }
        guard occurrence < matching.count else { return nil }
        let fields = matching[occurrence].split(separator: "|", omittingEmptySubsequences: false)
        let index = segment == "MSH" ? number - 1 : number
        return index < fields.count ? String(fields[index]) : nil
    }

    static func observation(_ text: String, code: Int) -> String? {
        text.split(separator: "\r").first { $0.hasPrefix("OBX|") && $0.split(separator: "|", omittingEmptySubsequences: false)[3].hasPrefix("\(code)^") }
            .map(String.init)
    }

    @Test func aSessionGivesTheMessagesTheIssueAsksFor() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "host1")
        let messages = try Self.run(Self.session, outbox: &outbox)
        #expect(messages.map(\.controlID) == [
            "host1.11.R01", "host1.14.R42", "host1.15.R42", "host1.17.R01", "host1.18.R40", "host1.19.R42",
            "host1.20.R40", "host1.21.R01", "host1.23.R42",
        ])
        #expect(messages.allSatisfy { Self.field($0.text, segment: "MSH", 10) == $0.controlID })
        #expect(messages.allSatisfy { Self.field($0.text, segment: "PV1", 3) == "INFUSION^1" })
        #expect(messages.allSatisfy { Self.field($0.text, segment: "PID", 3) == "host1-1-10^^^INFUSIOND^VN" })

        let start = messages[1].text
        #expect(Self.field(start, segment: "MSH", 9) == "ORU^R42^ORU_R01")
        #expect(Self.field(start, segment: "MSH", 21) == "IHE_PCD_010^IHE PCD^1.3.6.1.4.1.19376.1.6.4.10^ISO")
        #expect(Self.field(start, segment: "MSH", 7) == "20261207100003.000+0000")
        #expect(Self.observation(start, code: 0)?.contains("|197288^MDC_EVT_PUMP_DELIV_START^MDC|") == true)
        #expect(Self.observation(start, code: 157_784)?.contains("|5.25|265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM|") == true)
        #expect(Self.observation(start, code: 157_924)?.contains("|0.75|265650^") == true, "dose rate from the flow: 5.25 mL/h × 10 mg/mL / 70 kg")
        #expect(Self.observation(start, code: 184_519)?.contains("^pump-status-infusing") == true)
        #expect(Self.observation(start, code: 184_514)?.contains("|ketamine|") == true)
        #expect(start.contains("|1.0.0.2|start|"))

        #expect(messages[2].text.contains("|1.0.0.2|rate-change|"))
        #expect(Self.observation(messages[2].text, code: 157_784)?.contains("|6|") == true)

        let observation = messages[3].text
        #expect(Self.field(observation, segment: "MSH", 9) == "ORU^R01^ORU_R01")
        #expect(Self.observation(observation, code: 150_456)?.contains("|1.2.1.1|98|262688^MDC_DIM_PERCENT^MDC") == true)
        #expect(Self.observation(observation, code: 157_784)?.contains("|2.1.1.2|6|") == true)
        #expect(Self.observation(observation, code: 157_993)?.contains("|0.05|263762^MDC_DIM_MILLI_L^MDC") == true)

        let raised = messages[4].text
        #expect(Self.field(raised, segment: "MSH", 9) == "ORU^R40^ORU_R40")
        #expect(Self.field(raised, segment: "OBR", 2) == "1-pumpOcclusion-1^INFUSIOND")
        #expect(raised.contains("|196940^MDC_EVT_FLUID_LINE_OCCL^MDC|"))
        #expect(raised.contains("|start|") && raised.contains("|PH|") && raised.contains("|active|"))

        let pause = messages[5].text
        #expect(Self.observation(pause, code: 0)?.contains("|0^MDC_EVT_PUMP_DELIV_STOP^MDC|") == true)
        #expect(pause.contains("|1.0.0.2|pause|") && pause.contains("|1.0.0.3|interlock|"))

        let cleared = messages[6].text
        #expect(Self.field(cleared, segment: "OBR", 2) == "1-pumpOcclusion-1^INFUSIOND", "one alert instance from raise to clear")
        #expect(cleared.contains("|end|") && cleared.contains("|inactive|"))

        let later = messages[7].text
        #expect(Self.observation(later, code: 150_456)?.contains("|97|") == true)
        #expect(!later.contains("|98|"), "a reading already sent is not charted again")

        #expect(messages[8].text.contains("|1.0.0.2|stop|"))
    }

    @Test func aDoseReachedIsAComplete() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "h")
        let messages = try Self.run(
            Array(Self.session.prefix(5)) + [
                EventLines.session(30, from: "infusing", to: "complete", reason: "dose-reached", at: "2026-12-07T10:40:00.000Z")
            ], outbox: &outbox)
        let complete = try #require(messages.first { $0.seq == 30 && $0.kind == .infusionEvent })
        #expect(complete.text.contains("|0^MDC_EVT_PUMP_DELIV_COMP^MDC|") && complete.text.contains("|1.0.0.2|complete|"))
    }

    @Test func aPhysiologicalAlarmCarriesTheReadingThatCrossedTheLimit() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "h")
        let messages = try Self.run(
            Array(Self.session.prefix(3)) + [
                EventLines.vital(40, "spo2", 86, at: "2026-12-07T10:00:20.000Z"),
                EventLines.alarm(41, "raised", condition: "spo2Low", category: "physiological", priority: "medium", at: "2026-12-07T10:00:21.000Z"),
            ], outbox: &outbox)
        let alert = try #require(messages.last)
        #expect(alert.kind == .alert)
        #expect(alert.text.contains("|196670^MDC_EVT_LO^MDC|"))
        #expect(alert.text.contains("|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.150456.2|86|"))
        #expect(alert.text.contains("|PM|") && alert.text.contains("|SP|"))
    }

    @Test func withoutAPatientAlarmsStillGoButNoObservations() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "h")
        let messages = try Self.run(
            [
                EventLines.vital(1, "spo2", 98, at: "2026-12-07T10:00:00.000Z"),
                EventLines.alarm(2, "raised", condition: "monitorLinkLost", at: "2026-12-07T10:00:01.000Z"),
            ], outbox: &outbox)
        #expect(messages.map(\.kind) == [.alert])
        #expect(Self.field(messages[0].text, segment: "PID", 3) == "h-1-none^^^INFUSIOND^VN")
    }

    @Test func anUncertainFlowIsSentWithoutAValueNeverAsZero() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "h")
        let messages = try Self.run(
            Array(Self.session.prefix(5)) + [
                EventLines.delivery(49, flow: 5.25, dose: 1, at: "2026-12-07T10:04:59.000Z"),
                EventLines.certainty(50, reason: "pump-link-down", at: "2026-12-07T10:05:00.000Z"),
                EventLines.delivery(51, flow: 5.25, dose: 1, at: "2026-12-07T10:06:00.000Z"),
                EventLines.certainty(52, reason: nil, at: "2026-12-07T10:07:00.000Z"),
            ],
            outbox: &outbox)
        let uncertain = try #require(messages.first { $0.seq == 50 })
        #expect(Self.observation(uncertain.text, code: 157_784)?.contains("|2.1.1.2||265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM||NAV|") == true)
        let stillUncertain = try #require(messages.first { $0.seq == 51 })
        #expect(Self.observation(stillUncertain.text, code: 157_784)?.contains("||NAV|") == true, "a delivery's flow while uncertain is not trusted")
        let certain = try #require(messages.first { $0.seq == 52 })
        #expect(Self.observation(certain.text, code: 157_784)?.contains("|2.1.1.2|5.25|") == true)
    }

    /// The property the cursor rests on: a bridge that saved its fold after any event and resumed from it builds
    /// the rest of the messages exactly as one that never stopped, control ids included.
    @Test func resumingFromASavedFoldGivesTheSameMessagesByteForByte() throws {
        var whole = Outbox(configuration: Self.configuration, sourceName: "h")
        let all = try Self.run(Self.session, outbox: &whole)
        for split in 0...Self.session.count {
            var first = Outbox(configuration: Self.configuration, sourceName: "h")
            let before = try Self.run(Array(Self.session.prefix(split)), outbox: &first)
            var saved = BridgeState()
            saved.chairs = first.chairs
            let restored = try BridgeState.decode(try saved.encoded())
            #expect(restored == saved)
            var second = Outbox(configuration: Self.configuration, sourceName: "h", chairs: restored.chairs)
            let after = try Self.run(Array(Self.session.dropFirst(split)), outbox: &second)
            #expect(before + after == all, "split after \(split) events")
        }
    }

    @Test func aNewPatientForgetsThePreviousOnesReadings() throws {
        var outbox = Outbox(configuration: Self.configuration, sourceName: "h")
        _ = try Self.run(Self.session, outbox: &outbox)
        let messages = try Self.run(
            [
                EventLines.session(60, from: "discharged", to: "intake", reason: "intake", at: "2026-12-07T11:00:00.000Z", programmed: false),
                EventLines.session(61, from: "intake", to: "programmed", reason: "programmed", at: "2026-12-07T11:00:01.000Z"),
            ], outbox: &outbox)
        let observation = try #require(messages.last)
        #expect(Self.field(observation.text, segment: "PID", 3) == "h-1-60^^^INFUSIOND^VN")
        #expect(Self.observation(observation.text, code: 150_456) == nil)
    }
}

/// The nurse's scores and the devices' serial numbers in the live messages (docs/INTEGRATION.md "Observation
/// scores", "Equipment identifiers").
@Suite struct ScoresAndEquipmentTests {
    @Test func theNursesScoresGoOutOnceInTheNextPCD01() throws {
        var outbox = Outbox(configuration: OutboxTests.configuration, sourceName: "host1")
        let messages = try OutboxTests.run(
            [
                EventLines.session(10, from: "idle", to: "intake", reason: "intake", at: "2026-12-07T10:00:00.000Z", programmed: false),
                EventLines.observation(11, [("moaas", 5), ("nausea", 1)], at: "2026-12-07T10:00:30.000Z"),
                EventLines.vital(12, "spo2", 98, at: "2026-12-07T10:01:02.000Z"),
                EventLines.vital(13, "spo2", 97, at: "2026-12-07T10:02:02.000Z"),
            ], outbox: &outbox)
        let observations = messages.filter { $0.kind == .observation }
        let withScores = observations.filter { $0.text.contains("SCORE-") }
        #expect(withScores.count == 1, "each score is sent once: \(observations.map(\.controlID))")
        let text = try #require(withScores.first?.text)
        #expect(text.contains("|NM|SCORE-moaas^moaas score^99INFD|0.0.0.1|5|{score}^{score}^UCUM|||||F|||20261207100030.000+0000||uid:1001\r"), "\(text)")
        #expect(text.contains("|NM|SCORE-nausea^nausea score^99INFD|0.0.0.2|1|"))
    }

    @Test func aDevicesSerialNumberIsItsEquipmentIdentifier() throws {
        var outbox = Outbox(configuration: OutboxTests.configuration, sourceName: "host1")
        let messages = try OutboxTests.run(
            [
                EventLines.deviceUp(9, role: "pump", serial: "A1B2C3"),
                EventLines.deviceUp(10, role: "monitor", serial: nil),
            ] + OutboxTests.session, outbox: &outbox)
        let start = try #require(messages.first { $0.kind == .infusionEvent })
        #expect(start.text.contains("|A1B2C3^New Era NE-1000\r"), "the pump by its serial: \(start.text)")
        let observation = try #require(messages.first { $0.kind == .observation && $0.text.contains("150456^") })
        #expect(observation.text.contains("|chair-1-monitor^INFUSIOND host1\r"), "a monitor without a known serial by its role")
        #expect(observation.text.contains("|A1B2C3^New Era NE-1000\r"))
        // The devices stay at the chair across patients.
        #expect(outbox.chairs["1"]?.devices?["pump"]?.serial == "A1B2C3")
    }
}
