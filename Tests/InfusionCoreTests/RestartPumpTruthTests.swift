import Foundation
import InfusionCore
import Testing

/// Issue 21: at a restart the pump's own read-back is the truth. A checkpoint that predates the last rate carried
/// out (a titration answered `not-durable` on a full disk, its records then lost) must never make a resumed chair
/// run at the older rate: the pump's rate is kept when it is lower and inside the hard limits; a higher one is
/// never taken over. And a chair paused in its checkpoint is paused on the pump again.
@Suite struct RestartPumpTruthTests {
    /// The standard programme 10 minutes in (26.25 mL/h of 2 mg/mL at 70 kg, 0.75 mg/kg/h); the checkpoint is
    /// taken, then `titrateTo` (mg/kg/h) is carried out on the pump but never reaches a checkpoint. The restored
    /// chair's pump reports `pumpRate` (default: what the titration left on it).
    private func restartAfterALostTitration(
        titrateTo: Double?, pumpRate: Double? = nil, configuration: CoreConfiguration = CoreConfiguration()
    ) throws -> (checkpointFlow: Double, after: ChairHarness) {
        var before = ChairHarness(configuration: configuration)
        before.prepare()
        before.command(.start)
        before.run(seconds: 600)
        let stored = try JSONEncoder().encode(before.core.checkpoint)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: stored)
        if let titrateTo {
            let reply = before.command(.titrate(rate: DoseRate(titrateTo, .milligramsPerKilogramPerHour), override: nil))
            try #require(reply?.isSuccess == true, "\(String(describing: reply?.error))")
        }
        var after = ChairHarness(configuration: configuration)
        after.now = before.now + .seconds(30)
        after.pumpRunning = true
        after.pumpRate = pumpRate ?? before.pumpRate
        after.pumpVolume = before.pumpVolume
        _ = after.restore(checkpoint, outage: .seconds(30), deliverToPump: false)
        after.send(.link(.pump, isUp: true))
        after.send(.link(.monitor, isUp: true))
        after.reportPump()
        return (checkpoint.flow.value, after)
    }

    private func reconciled(_ chair: ChairHarness) throws -> RestartEvent {
        try #require(chair.log.compactMap { entry -> RestartEvent? in
            if case .event(.restart(let event)) = entry.output, event.kind == .reconciled { event } else { nil }
        }.first)
    }

    /// Acknowledges and resumes as a nurse would once vitals are fresh; returns the resume's outputs.
    private func acknowledgeAndResume(_ chair: inout ChairHarness) throws {
        chair.run(seconds: 5)
        chair.measureBloodPressure()
        try #require(chair.command(.acknowledge(nil))?.isSuccess == true)
        let resumed = chair.command(.resume(override: nil))
        try #require(resumed?.isSuccess == true, "\(String(describing: resumed?.error))")
    }

    @Test func aLowerRateOnThePumpIsTheOneTheResumedChairRunsAt() throws {
        // 0.5 mg/kg/h × 70 kg ÷ 2 mg/mL = 17.5 mL/h, below the checkpoint's 26.25.
        var (checkpointFlow, after) = try restartAfterALostTitration(titrateTo: 0.5)
        #expect(abs(checkpointFlow - 26.25) < 1e-9)
        let event = try reconciled(after)
        #expect(event.rateTakenFromPump == true)
        #expect(event.checkpointRate?.value == checkpointFlow)
        #expect(event.pumpRate.map { abs($0.value - 17.5) < 1e-9 } == true)
        #expect(after.core.session?.program?.flow.value == event.pumpRate?.value, "the programme now holds the pump's rate")
        #expect(after.core.checkpoint.flow.value == 0, "still paused: the restored flow is zero until a resume")
        #expect(after.core.state == .paused, "never resumed by itself")

        try acknowledgeAndResume(&after)
        #expect(after.core.state == .infusing)
        #expect(abs(after.pumpRate - 17.5) < 1e-9, "the pump runs at the last rate carried out, not 26.25: \(after.pumpRate)")
        // And the next checkpoint keeps it.
        #expect(after.core.checkpoint.session?.program?.flow.value == after.pumpRate)
    }

    @Test func aHigherRateOnThePumpIsNeverTakenOver() throws {
        // The pump holds 30 mL/h (set outside the daemon, or an increase nothing kept): the resume sets 26.25.
        var (checkpointFlow, after) = try restartAfterALostTitration(titrateTo: nil, pumpRate: 30)
        let event = try reconciled(after)
        #expect(event.rateTakenFromPump == false)
        #expect(event.pumpRate?.value == 30 && event.checkpointRate?.value == checkpointFlow)
        #expect(after.core.session?.program?.flow.value == checkpointFlow)
        try acknowledgeAndResume(&after)
        #expect(abs(after.pumpRate - checkpointFlow) < 1e-9, "\(after.pumpRate)")
    }

    @Test func theSameRateWithinTheReadBackToleranceChangesNothing() throws {
        // The NE-1000 prints four digits: 26.25 may read back as 26.249.
        let (checkpointFlow, after) = try restartAfterALostTitration(titrateTo: nil, pumpRate: 26.249)
        let event = try reconciled(after)
        #expect(event.rateTakenFromPump == false)
        #expect(after.core.session?.program?.flow.value == checkpointFlow)
    }

    @Test func aLowerRateBelowAHardMinimumIsNotTakenOver() throws {
        var profile = DrugProfile.ketaminePsychiatric
        profile.rateLimits = LimitBand(hardMinimum: 0.25, softMinimum: 0.3, softMaximum: 0.75, hardMaximum: 1.5)
        var configuration = CoreConfiguration()
        configuration.library = DrugLibrary(version: "test", profiles: [profile])
        // 0.25 mg/kg/h × 70 kg ÷ 2 mg/mL = 8.75 mL/h is the hard minimum; the pump reports 5 mL/h.
        var (checkpointFlow, after) = try restartAfterALostTitration(titrateTo: nil, pumpRate: 5, configuration: configuration)
        let event = try reconciled(after)
        #expect(event.rateTakenFromPump == false, "hard limits never yield")
        #expect(after.core.session?.program?.flow.value == checkpointFlow)
        try acknowledgeAndResume(&after)
        #expect(abs(after.pumpRate - checkpointFlow) < 1e-9)
    }

    @Test func aLowerRateInsideTheHardLimitsIsTakenEvenPastASoftOne() throws {
        var profile = DrugProfile.ketaminePsychiatric
        profile.rateLimits = LimitBand(hardMinimum: 0.25, softMinimum: 0.6, softMaximum: 0.75, hardMaximum: 1.5)
        var configuration = CoreConfiguration()
        configuration.library = DrugLibrary(version: "test", profiles: [profile])
        // 14 mL/h is 0.4 mg/kg/h: under the soft minimum a person confirmed when titrating, above the hard one.
        let (_, after) = try restartAfterALostTitration(titrateTo: nil, pumpRate: 14, configuration: configuration)
        #expect(try reconciled(after).rateTakenFromPump == true)
        #expect(after.core.session?.program?.flow.value == 14)
    }

    /// The drill's SIGTERM: the pump link closes as the daemon stops, the core pauses for it, but the pause never
    /// reaches the pump. The restarted chair is paused in its checkpoint; it must pause the pump again.
    @Test func aChairPausedInItsCheckpointPausesThePumpAgain() throws {
        var before = ChairHarness()
        before.prepare()
        before.command(.start)
        before.run(seconds: 60)
        before.pumpAnswers = false
        let linkLost = before.core.handle(.link(.pump, isUp: false), at: before.now)
        #expect(before.core.state == .paused && linkLost.contains(.pump(.pause)))
        let checkpoint = before.core.checkpoint

        var after = ChairHarness()
        after.now = before.now + .seconds(3)
        after.pumpRunning = true
        after.pumpRate = 26.25
        let restored = after.restore(checkpoint, outage: .seconds(3), deliverToPump: false)
        #expect(restored.contains(.pump(.pause)), "the restore sends a pause")
        after.send(.link(.pump, isUp: true))
        // The restore's pause did not reach the pump either (the harness did not deliver it): the read-back finds
        // it running, and the halt is sent again until a read-back shows it still.
        after.reportPump()
        after.run(seconds: 10)
        let stillRunning = after.pumpRunning
        #expect(!stillRunning, "the pump is still at the end")
        #expect(after.core.state == .paused)
    }
}
