@testable import CentralStation
import Foundation
import Testing
import WireProtocol

/// The relay fed the daemon's own v2 lines (docs/PROTOCOL.md): cursor, requests, and browser messages.
struct StationRelayTests {
    private func message(_ line: String) throws -> IncomingMessage { try IncomingMessage.parse(line: Array(line.utf8)) }

    static let hello = #"{"event":"hello","data":{"daemon":"0.1.0","maxLineBytes":65536,"protocol":2,"role":"viewer","topics":["devices","vitals","pump","alarms","session","notices"],"uid":1001}}"#
    static let status = #"""
        {"reply":"status","ok":true,"result":{"daemon":"0.1.0","protocol":2,"pid":4242,"uptimeSeconds":60.5,"clients":1,"watchers":1,"devices":2,"chairs":[{"id":"1","state":"infusing",
         "profileID":"ketamine-psychiatric","drugName":"ketamine","weightKilograms":70,"concentrationMilligramsPerMillilitre":10,
         "programmedMilligrams":35,"deliveredMilligrams":4.1,"flowMillilitresPerHour":5.25,"doseRate":{"unit":"mg/kg/h","value":0.75},
         "commandedFlowMillilitresPerHour":5.25,"deliveryUncertain":false,"alarms":{},"observations":{},"dueObservations":[],
         "activeAlarms":[],"vitals":[{"parameter":"spo2","source":"pleth","value":97,"unit":"%","flags":[],"trustworthy":true,
           "measuredAt":"2026-12-07T10:15:09.010Z","maximumAgeSeconds":30}],
         "time":"2026-12-07T10:15:10.050Z"},{"id":"2","state":"idle","commandedFlowMillilitresPerHour":0,"deliveryUncertain":false,
         "deliveredMilligrams":0,"alarms":{},"vitals":[],"activeAlarms":[],"observations":{},"dueObservations":[],"time":"2026-12-07T10:15:10.050Z"}]}}
        """#.split(separator: "\n").joined()
    static let occlusion = #"{"event":"alarm.raised","topic":"alarms","seq":41,"data":{"chair":"1","detail":{"condition":"pumpOcclusion","category":"technical","priority":"high","isAudible":true,"time":"2026-12-07T10:15:11.000Z"}}}"#

    /// The status that answers the occlusion: chair 1 with the alarm the event told of.
    static let occludedStatus = status.replacingOccurrences(
        of: #""activeAlarms":[],"vitals":[{"parameter":"spo2""#,
        with: #""activeAlarms":[{"condition":"pumpOcclusion","category":"technical","priority":"high","isAcknowledged":false,"isAudioPaused":false,"isLatched":false,"raisedAt":"2026-12-07T10:15:11.000Z"}],"vitals":[{"parameter":"spo2""#)

    /// A relay that has connected, read hello and status, and published once.
    private func connectedRelay() throws -> StationRelay {
        var relay = StationRelay(epoch: "e1")
        _ = relay.connected()
        _ = relay.receive(try message(Self.hello), localNanoseconds: 0)
        _ = relay.receive(try message(Self.status), localNanoseconds: 0)
        _ = relay.publish(localNanoseconds: 0, wallMilliseconds: 1000)
        return relay
    }

    private func json(_ message: RelayMessage) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(message.data)) as? [String: Any])
    }

    @Test func firstConnectionWatchesEverythingThenReadsStatusAndDevices() {
        var relay = StationRelay(epoch: "e1")
        let requests = relay.connected()
        #expect(requests.map(\.command) == ["watch", "status", "devices"])
        #expect(requests[0].fields["since"] == nil, "no cursor yet: no replay of the whole journal")
        #expect(requests[0].fields["topics"] == .array(Topic.allCases.map { .string($0.rawValue) }))
    }

    @Test func aReconnectResumesAfterTheLastSeqFolded() throws {
        var relay = try connectedRelay()
        _ = relay.receive(try message(Self.occlusion), localNanoseconds: 0)
        #expect(relay.cursor == 41)
        relay.lost("the connection to infusiond closed")
        let requests = relay.connected()
        #expect(requests[0].command == "watch" && requests[0].fields["since"] == .integer(41))
    }

    @Test func aGapIsAnsweredByReadingStatusAgain() throws {
        var relay = try connectedRelay()
        let followUp = relay.receive(try message(#"{"event":"gap","data":{"from":42,"to":4294967295,"reason":"not-recorded"}}"#), localNanoseconds: 0)
        #expect(followUp.map(\.command) == ["status", "devices"])
        #expect(relay.receive(try message(Self.occlusion), localNanoseconds: 0).isEmpty)
    }

    @Test func theLinkIsCatchingUpUntilStatusThenConnectedThenLost() throws {
        var relay = StationRelay(epoch: "e1")
        _ = relay.connected()
        _ = relay.receive(try message(Self.hello), localNanoseconds: 0)
        let first = try json(try #require(relay.publish(localNanoseconds: 0, wallMilliseconds: 1000).first))
        #expect((first["daemon"] as? [String: Any])?["state"] as? String == "connecting")
        _ = relay.receive(try message(Self.status), localNanoseconds: 0)
        let snapshot = try #require(relay.publish(localNanoseconds: 0, wallMilliseconds: 2000).first)
        #expect(snapshot.event == "snapshot", "the chairs appeared")
        #expect((try json(snapshot)["daemon"] as? [String: Any])?["state"] as? String == "connected")
        relay.lost("the connection to infusiond closed")
        let lost = relay.publish(localNanoseconds: 0, wallMilliseconds: 3000)
        #expect(lost.map(\.event) == ["daemon"])
        let link = try #require(try json(lost[0])["daemon"] as? [String: Any])
        #expect(link["state"] as? String == "lost" && link["since"] as? Int == 3000)
        #expect((link["reason"] as? String)?.contains("closed") == true)
    }

    @Test func onlyChangedChairsArePublishedAndNothingWhenNothingChanged() throws {
        var relay = try connectedRelay()
        #expect(relay.publish(localNanoseconds: 0, wallMilliseconds: 1200).isEmpty)
        #expect(relay.receive(try message(Self.occlusion), localNanoseconds: 0).map(\.command) == ["status"])
        #expect(relay.publish(localNanoseconds: 0, wallMilliseconds: 1300).isEmpty, "the tile waits for the daemon's status")
        _ = relay.receive(try message(Self.occludedStatus), localNanoseconds: 0)
        let messages = relay.publish(localNanoseconds: 0, wallMilliseconds: 1400)
        #expect(messages.map(\.event) == ["chair"])
        let data = try json(messages[0])
        #expect(data["seq"] as? Int == 41, "each message carries the daemon's cursor")
        let chair = try #require(data["chair"] as? [String: Any])
        #expect(chair["id"] as? String == "1" && chair["sounding"] as? String == "high")
        let alarms = try #require(chair["alarms"] as? [[String: Any]])
        #expect(alarms.first?["condition"] as? String == "pumpOcclusion")
    }

    @Test func aBrowserResumesWithWhatItMissedOrGetsASnapshot() throws {
        var relay = try connectedRelay()
        let seen = relay.log.lastNumber
        _ = relay.receive(try message(Self.occlusion), localNanoseconds: 0)
        _ = relay.receive(try message(Self.occludedStatus), localNanoseconds: 0)
        let missed = relay.publish(localNanoseconds: 0, wallMilliseconds: 1400)
        #expect(relay.resume(lastEventID: "e1-\(seen)", wallMilliseconds: 1500) == missed)
        #expect(relay.resume(lastEventID: "e1-\(relay.log.lastNumber)", wallMilliseconds: 1500).isEmpty)
        for stranger in [nil, "other-3", "e1-999", "garbage"] {
            let fresh = relay.resume(lastEventID: stranger, wallMilliseconds: 1500)
            #expect(fresh.map(\.event) == ["snapshot"], "\(stranger ?? "no id")")
            #expect(fresh.first?.number == relay.log.lastNumber, "numbered so the next resume follows on")
            let chairs = try #require(try json(fresh[0])["chairs"] as? [[String: Any]])
            #expect(chairs.map { $0["id"] as? String } == ["1", "2"])
        }
    }
}
