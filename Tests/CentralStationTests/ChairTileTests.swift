@testable import CentralStation
@testable import InfusionDashboard
import Testing
import WireProtocol

struct ChairTileTests {
    private static let second: Int64 = 1_000_000_000

    private func panel() -> ChairPanel {
        var panel = ChairPanel(id: "3")
        panel.state = "infusing"
        panel.flowMillilitresPerHour = 5.25
        panel.alarms = [
            "observationDue": .init(condition: "observationDue", priority: "low"),
            "systolicHigh": .init(condition: "systolicHigh", priority: "medium", acknowledged: true),
            "pumpOcclusion": .init(condition: "pumpOcclusion", priority: "high", audioPaused: true),
        ]
        return panel
    }

    @Test func alarmsComeHighestFirstAndTheSoundIsTheHighestNeitherAcknowledgedNorAudioPaused() {
        let tile = ChairTile(panel(), now: 0)
        #expect(tile.alarms.map(\.condition) == ["pumpOcclusion", "systolicHigh", "observationDue"])
        #expect(tile.sounding == "low")
        var quiet = panel()
        quiet.alarms["observationDue"]?.acknowledged = true
        #expect(ChairTile(quiet, now: 0).sounding == nil)
        var loud = panel()
        loud.alarms["pumpOcclusion"]?.audioPaused = false
        #expect(ChairTile(loud, now: 0).sounding == "high")
    }

    @Test func thePatientIsMaskedUnlessTheStationShowsIdentifiers() {
        var admitted = panel()
        admitted.patientID = "P-0417"
        #expect(ChairTile(admitted, now: 0).patient == "•••17", "the desk's screen is seen by other patients")
        #expect(ChairTile(admitted, now: 0, showPatientID: true).patient == "P-0417")
        admitted.patientID = "7"
        #expect(ChairTile(admitted, now: 0).patient == "•••", "a short identifier is hidden whole")
        #expect(ChairTile(panel(), now: 0).patient == nil, "no patient, nothing shown")
    }

    @Test func anUncertainDeliveryHasNoFlow() {
        var uncertain = panel()
        uncertain.deliveryUncertainReason = "pump-link-down"
        let tile = ChairTile(uncertain, now: 0)
        #expect(tile.flowMillilitresPerHour == nil && tile.deliveryUncertainReason == "pump-link-down")
    }

    @Test func aVitalOlderThanItsMaximumAgeIsStale() {
        var stale = panel()
        stale.vitals["spo2"] = .init(latest: 97, time: 0, maximumAgeNanoseconds: 30 * Self.second)
        #expect(ChairTile(stale, now: 30 * Self.second).vitals.first?.stale == false)
        let later = ChairTile(stale, now: 31 * Self.second)
        #expect(later.vitals.first?.stale == true)
        #expect(later.vitals.first?.value == 97, "the page shows it as the last value, marked STALE")
    }

    @Test func trendsKeepTheLatestReadingOfEachFifteenSeconds() {
        var trending = panel()
        let history = (0..<60).map { (time: Int64($0) * Self.second, value: Double($0)) }
        trending.vitals["spo2"] = .init(latest: 59, time: 59 * Self.second, history: history)
        let trend = ChairTile(trending, now: 59 * Self.second).trends
        #expect(trend.map(\.parameter) == ["spo2"])
        #expect(trend[0].points == [[14_000, 14], [29_000, 29], [44_000, 44], [59_000, 59]])
    }

    @Test func carriesTheNursesRecordDeviceLinksAndThePausesTimesInMilliseconds() throws {
        var recorded = panel()
        recorded.observations = ["moaas": .init(value: 4, time: 90 * Self.second), "rass": .init(value: -1, time: 80 * Self.second)]
        recorded.dueObservations = [.init(scale: "moaas", since: 120 * Self.second)]
        recorded.devices = ["pump": "up", "monitor": "down"]
        recorded.audioPausedUntil = 200 * Self.second
        recorded.bolusEndsAt = 150 * Self.second
        recorded.estimatedCompletion = 2400 * Self.second
        recorded.deliveredMilligrams = 3.5
        recorded.programmedMilligrams = 35
        recorded.doseRate = 0.75
        recorded.doseRateUnit = "mg/kg/h"
        let tile = ChairTile(recorded, now: 130 * Self.second)
        #expect(tile.observations == [.init(scale: "moaas", value: 4, time: 90_000), .init(scale: "rass", value: -1, time: 80_000)])
        #expect(tile.dueObservations == [.init(scale: "moaas", since: 120_000)], "shown as DUE on the tile")
        #expect(tile.devices == ["pump": "up", "monitor": "down"])
        #expect(tile.audioPausedUntil == 200_000 && tile.bolusEndsAt == 150_000 && tile.estimatedCompletion == 2_400_000)
        #expect(tile.deliveredMilligrams == 3.5 && tile.programmedMilligrams == 35)
        #expect(tile.flowMillilitresPerHour == 5.25 && tile.doseRate == 0.75 && tile.doseRateUnit == "mg/kg/h")
    }

    @Test func theLastBloodPressureKeepsItsMeasurementTimeForItsAge() throws {
        var pressure = panel()
        pressure.vitals["nibpSystolic"] = .init(latest: 142, time: 10 * Self.second, source: "cuff", maximumAgeNanoseconds: 900 * Self.second)
        pressure.vitals["nibpDiastolic"] = .init(latest: 88, time: 10 * Self.second, source: "cuff")
        let tile = ChairTile(pressure, now: 70 * Self.second)
        let systolic = try #require(tile.vitals.first { $0.parameter == "nibpSystolic" })
        #expect(systolic.value == 142 && systolic.measuredAt == 10_000 && systolic.source == "cuff")
        #expect(systolic.maximumAgeSeconds == 900 && !systolic.stale, "a minute old, current for fifteen")
        #expect(tile.vitals.map(\.parameter) == ["nibpDiastolic", "nibpSystolic"])
    }

    @Test func aFlaggedReadingHasNoNumber() throws {
        var flagged = panel()
        flagged.vitals["spo2"] = .init(latest: nil, time: 0, flags: ["sensorOff"])
        let vital = try #require(ChairTile(flagged, now: 0).vitals.first)
        #expect(vital.value == nil && vital.flags == ["sensorOff"])
    }
}
