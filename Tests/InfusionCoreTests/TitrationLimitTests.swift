import Foundation
import InfusionCore
import Testing

/// The up-titration limits of docs/CLINICAL-BASIS.md §6.3: steps of at most 25 % or 0.25 mg/kg/h, at least 5 minutes
/// between increases; soft, so an override with a reason passes; decreases are never held back.
@Suite struct TitrationLimitTests {
    private func rate(_ value: Double) -> DoseRate { DoseRate(value, .milligramsPerKilogramPerHour) }

    @Test func aStepLargerThanBothBoundsNeedsAReason() throws {
        var chair = ChairHarness.infusingPainChair()
        // 0.5 → 0.9 is +0.4 mg/kg/h: past 0.25 mg/kg/h and past 25 % (0.125).
        #expect(chair.command(.titrate(rate: rate(0.9), override: nil))?.error?.code == "soft-limit-needs-override")
        let refused = try #require(chair.limitEvents.first { $0.kind == .titrationStep })
        #expect(refused.outcome == .softRefused)
        #expect(abs(refused.requested - 0.4) < 1e-9 && refused.limit == 0.25)
        #expect(refused.kind.unit == "mg/kg/h")
        #expect(chair.core.deliveringFlow == .init(17.5), "still 0.5 mg/kg/h × 70 kg ÷ 2 mg/mL")

        #expect(chair.command(.titrate(rate: rate(0.9), override: LimitOverride(reason: "breakthrough pain")))?.isSuccess == true)
        let overridden = try #require(chair.limitEvents.last { $0.kind == .titrationStep })
        #expect(overridden.outcome == .softOverridden && overridden.reason == "breakthrough pain")
        #expect(chair.core.deliveringFlow == .init(31.5))
    }

    @Test func aStepWithinEitherBoundPasses() {
        var chair = ChairHarness.infusingPainChair()
        let before = chair.limitEvents.count
        // +0.25 mg/kg/h is 50 % of 0.5, but within the absolute step: "≤ 25 % or ≤ 0.25 mg/kg/h".
        #expect(chair.command(.titrate(rate: rate(0.75), override: nil))?.isSuccess == true)
        #expect(chair.limitEvents.count == before)
    }

    @Test func increasesCloserThanFiveMinutesApartNeedAReason() throws {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(.titrate(rate: rate(0.6), override: nil))?.isSuccess == true)
        chair.run(seconds: 120)
        #expect(chair.command(.titrate(rate: rate(0.7), override: nil))?.error?.code == "soft-limit-needs-override")
        let refused = try #require(chair.limitEvents.last)
        #expect(refused.kind == .titrationInterval && refused.side == .below)
        #expect(refused.requested == 120 && refused.limit == 300 && refused.kind.unit == "s")

        // Lowering is always allowed at once, and does not restart the wait.
        #expect(chair.command(.titrate(rate: rate(0.55), override: nil))?.isSuccess == true)
        chair.run(seconds: 180)
        #expect(chair.command(.titrate(rate: rate(0.7), override: nil))?.isSuccess == true, "300 s after the last increase")
    }

    @Test func lowerIsNeverLimitedEvenAfterAnIncrease() {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(.titrate(rate: rate(0.75), override: nil))?.isSuccess == true)
        let before = chair.limitEvents.count
        #expect(chair.command(.titrate(rate: rate(0.1), override: nil))?.isSuccess == true)
        #expect(chair.limitEvents.count == before)
    }

    @Test func theRateHardLimitStillRefusesAnOverriddenStep() {
        var chair = ChairHarness.infusingPainChair()
        let result = chair.command(.titrate(rate: rate(2.5), override: LimitOverride(reason: "sure")))
        #expect(result?.error?.code == "hard-limit")
        #expect(chair.limitEvents.contains { $0.kind == .titrationStep && $0.outcome == .softRefused } == false,
                "a hard refusal reports the hard limits only")
    }

    @Test func configurationTurnsTheLimitsOffOrChangesOneBound() throws {
        let json = """
            {"library": {"version": "clinic-8", "profiles": [
               {"id": "ketamine-psychiatric", "titrationLimits": null},
               {"id": "ketamine-chronic-pain", "titrationLimits": {"minimumSecondsBetweenIncreases": 600}}]}}
            """
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.library.profile(id: "ketamine-psychiatric")?.titrationLimits == nil)
        let pain = try #require(configuration.library.profile(id: "ketamine-chronic-pain")?.titrationLimits)
        #expect(pain == TitrationLimits(maximumStepFraction: 0.25, maximumStepDoseRate: 0.25, minimumSecondsBetweenIncreases: 600))

        var chair = ChairHarness.infusingPainChair(configuration: configuration)
        #expect(chair.command(.titrate(rate: rate(0.6), override: nil))?.isSuccess == true)
        chair.run(seconds: 400)
        #expect(chair.limitEvents.isEmpty)
        #expect(chair.command(.titrate(rate: rate(0.7), override: nil))?.error?.code == "soft-limit-needs-override")
        #expect(chair.limitEvents.last?.limit == 600)
    }

    @Test func aStoredProfileKeepsItsAbsentLimitsAbsent() throws {
        // Decoding reads a missing key as "keep the built-in default", so encoding must write nulls.
        var profile = DrugProfile.ketamineChronicPain
        profile.titrationLimits = nil
        profile.bolusLimits = nil
        profile.keepVeinOpenRate = nil
        profile.rateLimits.softMaximum = nil
        let decoded = try JSONDecoder().decode(DrugProfile.self, from: JSONEncoder().encode(profile))
        #expect(decoded == profile)
    }

    @Test func theTimeOfTheLastIncreaseSurvivesARestart() throws {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(.titrate(rate: rate(0.6), override: nil))?.isSuccess == true)
        chair.run(seconds: 30)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONEncoder().encode(chair.core.checkpoint))
        var restarted = ChairHarness()
        restarted.now = chair.now + .seconds(10)
        _ = restarted.restore(checkpoint, outage: .seconds(10), deliverToPump: true)
        restarted.send(.link(.pump, isUp: true))
        restarted.send(.link(.monitor, isUp: true))
        restarted.run(seconds: 5)
        #expect(restarted.command(.acknowledge(nil))?.isSuccess == true)
        #expect(restarted.command(.titrate(rate: rate(0.7), override: nil))?.error?.code == "soft-limit-needs-override")
        #expect(restarted.limitEvents.last?.kind == .titrationInterval)
    }
}
