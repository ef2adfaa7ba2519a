import Foundation
import InfusionCore
import Testing

/// Gaps found after issue 17's core landed: the start gate judges each required vital at its own
/// maximum age, a bolus is held against the absolute (mg) session ceilings too, and a priority the core
/// would silently ignore is refused in configuration.
@Suite struct GateFollowUpTests {
    @Test func startJudgesEachRequiredVitalAtItsOwnMaximumAge() {
        var configuration = CoreConfiguration()
        configuration.staleVitals.maximumAgeSecondsByParameter = [.spo2: 5]
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        chair.spo2 = nil
        chair.run(seconds: 8)
        // 8 s is within the general 30 s but past SpO2's own 5 s.
        #expect(chair.command(.start)?.error?.code == "vitals-stale")
        chair.spo2 = 97
        chair.run(seconds: 1)
        #expect(chair.command(.start)?.isSuccess == true)
    }

    @Test func aBolusIsHeldAgainstTheAbsoluteSessionCeilings() throws {
        var configuration = CoreConfiguration()
        let pain = try #require(configuration.library.profiles.firstIndex { $0.id == "ketamine-chronic-pain" })
        configuration.library.profiles[pain].absoluteSessionDoseLimits = LimitBand(softMaximum: 10, hardMaximum: 20)
        // About 0.6 mg in after a minute at 35 mg/h; each bolus pushed over 10 min, so only the ceilings bite.
        var chair = ChairHarness.infusingPainChair(configuration: configuration)
        func bolus(_ mgPerKg: Double, override: LimitOverride? = nil) -> CommandResult? {
            chair.command(.bolus(BolusRequest(dose: .init(mgPerKg), seconds: 600, override: override)))
        }
        #expect(bolus(0.3)?.error?.code == "hard-limit", "21 mg more: past the 20 mg ceiling")
        #expect(bolus(0.2)?.error?.code == "soft-limit-needs-override", "14 mg more: past the 10 mg soft ceiling")
        #expect(bolus(0.2, override: LimitOverride(reason: "breakthrough pain"))?.isSuccess == true)
        #expect(chair.core.session?.sessionDoseSoftLimitOverridden == true, "not held at the soft limit again")
    }

    @Test func aPriorityTheCoreWouldIgnoreIsRefused() throws {
        let json = #"{"alarms":{"technicalPriorities":{"staleVitals":"high"}}}"#
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.inconsistencies.contains { $0.contains("monitorAlarmPriorities") })
    }
}
