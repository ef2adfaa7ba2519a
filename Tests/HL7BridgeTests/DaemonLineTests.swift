import ClinicalExports
import HL7Bridge
import InfusionCore
import Testing

@Suite struct DaemonLineTests {
    @Test func connectionEventsAndRepliesAreRead() throws {
        #expect(
            try DaemonLine.parse(#"{"event":"hello","data":{"daemon":"0.1.0","maxLineBytes":65536,"protocol":2,"role":"viewer","topics":[],"uid":1}}"#)
                == .hello(protocolVersion: 2))
        #expect(
            try DaemonLine.parse(#"{"reply":"watch","ok":true,"result":{"lastSeq":1905,"topics":["alarms"]}}"#)
                == .reply(command: "watch", ok: true, lastSeq: 1905, error: nil))
        #expect(
            try DaemonLine.parse(#"{"reply":"watch","ok":false,"error":{"code":"already-watching","message":"x"}}"#)
                == .reply(command: "watch", ok: false, lastSeq: nil, error: "already-watching"))
        #expect(
            try DaemonLine.parse(#"{"event":"gap","data":{"from":1843,"to":4294967295,"reason":"not-recorded"}}"#)
                == .gap(from: 1843, to: 4_294_967_295, reason: "not-recorded"))
        #expect(try DaemonLine.parse(#"{"event":"overflow","data":{"reason":"slow"}}"#) == .overflow(reason: "slow"))
        #expect(try DaemonLine.parse(#"{"event":"shutdown","data":{"reason":"bye"}}"#) == .shutdown(reason: "bye"))
        #expect(try DaemonLine.parse(#"{"event":"something-new","data":{}}"#) == .ignored)
    }

    @Test func chairEventsCarryWhatTheMessagesNeed() throws {
        guard case .event(let vital) = try DaemonLine.parse(EventLines.vital(5, "spo2", 98, at: "2026-12-06T23:54:18.824Z", flags: #""artefact""#)),
            case .vital(let reading) = vital.kind
        else { throw Failure("not a vital") }
        #expect(vital.seq == 5 && vital.chair == "1" && vital.topic == "vitals")
        #expect(reading.parameter == .spo2 && reading.value == 98 && reading.flags == .artefact)
        #expect(reading.time.iso8601 == "2026-12-06T23:54:18.824Z")

        guard case .event(let alarm) = try DaemonLine.parse(EventLines.alarm(86, "raised", at: EventLines.times.intake)),
            case .alarm(let change) = alarm.kind
        else { throw Failure("not an alarm") }
        #expect(change.condition == "pumpOcclusion" && change.priority == .high && change.transition == .raised)

        guard case .event(let delivery) = try DaemonLine.parse(EventLines.delivery(9, flow: 5.25, dose: 1, at: EventLines.times.intake)),
            case .delivery(let detail) = delivery.kind
        else { throw Failure("not a delivery") }
        #expect(detail.flow == 5.25 && detail.doseRate == 0.75 && detail.doseRateUnit == .milligramsPerKilogramPerHour)

        guard case .event(let uncertain) = try DaemonLine.parse(EventLines.certainty(10, reason: "pump-link-down", at: EventLines.times.intake)),
            case .deliveryCertainty(true, _) = uncertain.kind
        else { throw Failure("not an uncertainty") }
        guard case .event(let certain) = try DaemonLine.parse(EventLines.certainty(11, reason: nil, at: EventLines.times.intake)),
            case .deliveryCertainty(false, _) = certain.kind
        else { throw Failure("not a certainty") }

        guard case .event(let command) = try DaemonLine.parse(EventLines.setRate(44, 5.25)) else { throw Failure("no event") }
        #expect(command.kind == .rateCommand(flow: 5.25))

        let restoredLine = #"{"event":"session.restored","topic":"session","seq":4294967297,"data":{"chair":"1","detail":{"deliveredDose":1.2,"deliveredDoseAtCheckpoint":1.2,"kind":"restored","outageSeconds":4.2,"pumpStoppedDuringOutage":false,"safeModeExpired":false,"state":"paused","time":"2026-12-07T10:05:00.000Z"}}}"#
        guard case .event(let restored) = try DaemonLine.parse(restoredLine), case .restart(let state, _) = restored.kind else {
            throw Failure("not a restart")
        }
        #expect(state == .paused && restored.seq == 4_294_967_297)
    }

    @Test func anEventWhoseDetailCannotBeReadIsKeptAsUnreadable() throws {
        let line = #"{"event":"vital","topic":"vitals","seq":7,"data":{"chair":"1","detail":{"parameter":"spo2","time":"yesterday"}}}"#
        guard case .event(let event) = try DaemonLine.parse(line), case .unreadable = event.kind else {
            throw Failure("expected an unreadable event")
        }
        #expect(event.seq == 7)
    }

    @Test func aLineThatIsNotJSONThrows() {
        #expect(throws: (any Error).self) { try DaemonLine.parse("not json") }
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
