@testable import InfusionDashboard
import Testing
import WireProtocol

/// `infusionctl top`'s model and renderer, fed the daemon's own lines (docs/PROTOCOL.md v2).
struct DashboardModelTests {
    private func message(_ line: String) throws -> IncomingMessage { try IncomingMessage.parse(line: Array(line.utf8)) }

    /// 10:15:10.050 on 7 Dec 2026, as nanoseconds since the epoch.
    private static let statusTime = WireTime.epochMilliseconds(of: "2026-12-07T10:15:10.050Z")! * 1_000_000

    private static let status = #"""
        {"reply":"status","ok":true,"result":{"daemon":"0.1.0","protocol":2,"chairs":[{"id":"1","state":"infusing",
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

    @Test func eventsRefineThePanelAndANewPatientStartsEmpty() throws {
        var model = DashboardModel()
        model.apply(try message(Self.status), localNanoseconds: 0)
        model.apply(
            try message(#"{"event":"observation","topic":"session","seq":7,"data":{"chair":"1","detail":{"scores":[{"scale":"nausea","value":2}],"operatorID":"uid:0","time":"2026-12-07T10:15:20.000Z"}}}"#),
            localNanoseconds: 0)
        model.apply(
            try message(#"{"event":"observation.status","topic":"session","seq":8,"data":{"chair":"1","detail":{"due":[],"time":"2026-12-07T10:15:20.000Z"}}}"#),
            localNanoseconds: 0)
        var panel = try #require(model.chairs["1"])
        #expect(panel.observations["nausea"]?.value == 2 && panel.dueObservations.isEmpty)
        model.apply(
            try message(#"{"event":"session.state","topic":"session","seq":9,"data":{"chair":"1","detail":{"from":"idle","to":"intake","reason":"intake","time":"2026-12-07T11:00:00.000Z"}}}"#),
            localNanoseconds: 0)
        panel = try #require(model.chairs["1"])
        #expect(panel.state == "intake")
        #expect(panel.vitals.isEmpty && panel.observations.isEmpty, "the previous patient's readings and scores are not this one's")
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
