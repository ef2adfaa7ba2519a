import Foundation
import InfusionCore
import Testing

/// docs/CLINICAL-BASIS.md §1.6: a cuff pressure older than 1.5 × the cuff cycle is a MEDIUM technical alarm; it does
/// not pause the pump (continuous vitals still watch the patient) and clears with the next reading.
@Suite struct BloodPressureCadenceTests {
    private func infusing(cadence: BloodPressureCadence = BloodPressureCadence()) -> ChairHarness {
        var chair = ChairHarness(configuration: CoreConfiguration(bloodPressureCadence: cadence))
        chair.nibpIntervalSeconds = 100_000  // the monitor takes no cuff pressure by itself
        chair.prepare()
        chair.command(.start)
        return chair
    }

    @Test func aCuffPressureOlderThanOneAndAHalfCyclesRaisesAMediumAlarm() {
        var chair = infusing()
        chair.run(seconds: 449)
        #expect(chair.core.alarm(.bloodPressureOverdue) == nil, "7.5 min at the 5-min default")
        chair.run(seconds: 2)
        #expect(chair.core.alarm(.bloodPressureOverdue)?.priority == .medium)
        #expect(chair.core.state == .infusing, "overdue cuff readings do not pause the pump")
        chair.measureBloodPressure()
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.bloodPressureOverdue) == nil, "a new reading clears it")
    }

    @Test func theCadenceIsConfigurableAndCanBeTurnedOff() throws {
        var slow = infusing(cadence: BloodPressureCadence(cycleSeconds: 600))
        slow.run(seconds: 800)
        #expect(slow.core.alarm(.bloodPressureOverdue) == nil, "10-min cycle: overdue after 15 min")
        slow.run(seconds: 120)
        #expect(slow.core.alarm(.bloodPressureOverdue) != nil)

        let off = try JSONDecoder().decode(BloodPressureCadence.self, from: Data(#"{"cycleSeconds":null}"#.utf8))
        var none = infusing(cadence: off)
        none.run(seconds: 1_200)
        #expect(none.core.alarm(.bloodPressureOverdue) == nil)
    }
}
