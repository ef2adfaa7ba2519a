@testable import InfusionDashboard
import Foundation
import Testing
import WireProtocol

/// `infusionctl top`'s model and renderer, fed the daemon's own lines (docs/PROTOCOL.md v2).
struct DashboardModelTests {
    private func message(_ line: String) throws -> IncomingMessage { try IncomingMessage.parse(line: Array(line.utf8)) }

    /// 10:15:10.050 on 7 Dec 2026, as nanoseconds since the epoch.
    private static let statusTime = WireTime.epochMilliseconds(of: "2026-12-07T10:15:10.050Z")! * 1_000_000

    private static let status = #"""
        {"reply":"status","ok":true,"result":{"daemon":"0.1.0","protocol":2,"pid":4242,"uptimeSeconds":60.5,"clients":1,"watchers":1,"devices":2,"chairs":[{"id":"1","state":"infusing",
         "profileID":"ketamine-psychiatric","drugName":"ketamine","weightKilograms":70,"concentrationMilligramsPerMillilitre":10,
         "programmedMilligrams":35,"deliveredMilligrams":4.1,"flowMillilitresPerHour":5.25,"commandedFlowMillilitresPerHour":5.25,
         "deliveryUncertain":false,"alarms":{"systolicHigh":"high"},"doseRate":{"unit":"mg/kg/h","value":0.75},
         "activeAlarms":[{"condition":"systolicHigh","category":"physiological","priority":"high","isAcknowledged":false,
           "isAudioPaused":false,"isLatched":false,"raisedAt":"2026-12-07T10:14:45.120Z"}],
         "vitals":[{"parameter":"spo2","source":"pleth","value":97,"unit":"%","flags":[],"trustworthy":true,
           "measuredAt":"2026-12-07T10:15:09.010Z","maximumAgeSeconds":30},
          {"parameter":"ecgHeartRate","source":"ecg","value":88,"unit":"/min","flags":[],"trustworthy":true,
           "measuredAt":"2026-12-07T10:14:28.020Z","maximumAgeSeconds":30}],
         "observations":{"moaas":{"value":5,"time":"2026-12-07T10:05:10.050Z","ageSeconds":600}},
         "dueObservations":[{"scale":"nausea","since":"2026-12-07T10:12:10.050Z"}],
         "time":"2026-12-07T10:15:10.050Z"}]}}
        """#.split(separator: "\n").joined()

    @Test func statusFillsThePanelWithWallClockTimes() throws {
        var model = DashboardModel()
        model.apply(try message(Self.status), localNanoseconds: 0)
        let panel = try #require(model.chairs["1"])
        #expect(panel.state == "infusing" && panel.programmedMilligrams == 35 && panel.flowMillilitresPerHour == 5.25)
        #expect(panel.alarms["systolicHigh"]?.priority == "high")
        #expect(panel.observations["moaas"] == ChairPanel.Observation(value: 5, time: Self.statusTime - 600_000_000_000))
        #expect(panel.dueObservations == [ChairPanel.Due(scale: "nausea", since: Self.statusTime - 180_000_000_000)])
        #expect(panel.vitals["spo2"]?.time == Self.statusTime - 1_040_000_000)
        #expect(model.now == Self.statusTime, "now is the status's own time")
    }

    private static let hello =
        #"{"event":"hello","data":{"protocol":2,"daemon":"0.1.0","role":"viewer","uid":1000,"topics":[],"maxLineBytes":65536}}"#

    @Test func aChairEventAsksForStatusOnceUntilItIsAnswered() throws {
        var model = DashboardModel()
        model.apply(try message(Self.hello), localNanoseconds: 0)
        model.apply(try message(Self.status), localNanoseconds: 0)
        #expect(model.statusRequests().isEmpty, "nothing changed since the status")
        model.apply(
            try message(#"{"event":"observation","topic":"session","seq":7,"data":{"chair":"1","detail":{"scores":[{"scale":"nausea","value":2}],"operatorID":"uid:0","time":"2026-12-07T10:15:20.000Z"}}}"#),
            localNanoseconds: 0)
        #expect(model.chairs["1"]?.observations["nausea"] == nil, "the panel is not refolded from events")
        #expect(model.statusRequests().map(\.command) == ["status"])
        model.apply(
            try message(#"{"event":"alarm.raised","topic":"alarms","seq":8,"data":{"chair":"1","detail":{"condition":"spo2Low","category":"physiological","transition":"raised","priority":"high","isAudible":true,"time":"2026-12-07T10:15:21.000Z"}}}"#),
            localNanoseconds: 0)
        #expect(model.statusRequests().isEmpty, "one status on its way answers for the burst")
        model.apply(try message(Self.status), localNanoseconds: 0)
        #expect(model.statusRequests().map(\.command) == ["status"], "the alarm came after the status was asked for")
        model.apply(
            try message(#"{"event":"vital","topic":"vitals","seq":9,"data":{"chair":"1","detail":{"parameter":"spo2","value":96,"flags":[],"time":"2026-12-07T10:15:22.000Z"}}}"#),
            localNanoseconds: 0)
        #expect(model.statusRequests().isEmpty, "a reading is the monitor's, not a change of the chair")
    }

    @Test func vitalEventsFeedTheHistoryAndANewPatientStartsEmpty() throws {
        var model = DashboardModel()
        model.apply(try message(Self.status), localNanoseconds: 0)
        model.apply(
            try message(#"{"event":"vital","topic":"vitals","seq":9,"data":{"chair":"1","detail":{"parameter":"spo2","value":96,"flags":[],"time":"2026-12-07T10:15:22.000Z"}}}"#),
            localNanoseconds: 0)
        model.apply(
            try message(#"{"event":"vital","topic":"vitals","seq":10,"data":{"chair":"1","detail":{"parameter":"spo2","value":80,"flags":["sensorOff"],"time":"2026-12-07T10:15:23.000Z"}}}"#),
            localNanoseconds: 0)
        var panel = try #require(model.chairs["1"])
        #expect(panel.vitals["spo2"]?.history.map(\.value) == [97, 96])
        #expect(panel.vitals["spo2"]?.latest == nil && panel.vitals["spo2"]?.flags == ["sensorOff"], "a flagged reading is no number")
        let admitted = Self.status.replacingOccurrences(
            of: #""time":"2026-12-07T10:15:10.050Z"}]}}"#,
            with: #""takenInAt":"2026-12-07T11:00:00.000Z","time":"2026-12-07T11:00:01.000Z"}]}}"#)
            .replacingOccurrences(of: #""vitals":[{"parameter":"spo2""#, with: #""vitals":[],"old":[{"parameter":"spo2""#)
        model.apply(try message(admitted), localNanoseconds: 0)
        panel = try #require(model.chairs["1"])
        #expect(panel.vitals.isEmpty, "the previous patient's readings are not this one's")
    }

    @Test func theRendererShowsStaleValuesAsStaleHighAlarmsFirstAndWhatIsDue() throws {
        var model = DashboardModel()
        model.apply(try message(Self.status), localNanoseconds: 0)
        let lines = DashboardRenderer(width: 0, height: 0, ansi: false).render(model).joined(separator: "\n")
        #expect(lines.contains("STALE: last 88"), "the ECG rate is 42 s old, past its 30 s: \(lines)")
        #expect(!lines.contains("STALE: last 97"), "SpO2 is 1 s old")
        #expect(lines.contains("*** "), "a high alarm carries the high prefix: \(lines)")
        #expect(lines.contains("Obs: moaas 5 (10 min ago)"))
        #expect(lines.contains(">>> OBSERVE: nausea (due 3 min)"))
    }
}
