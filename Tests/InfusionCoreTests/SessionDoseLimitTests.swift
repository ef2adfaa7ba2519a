import Foundation
import InfusionCore
import Testing

/// Issue 17 item 7: passing the cumulative soft session-dose limit during delivery pauses the pump and
/// needs an override with a reason to go on (the hard cap stops, as before); the causes of a pause, and
/// this hold, survive a restart.
@Suite struct SessionDoseLimitTests {
    /// 70 kg at 0.75 mg/kg/h with no target dose: the soft limit (0.75 mg/kg) is passed after 60 min.
    private func openEndedChair() -> ChairHarness {
        var chair = ChairHarness()
        chair.nibpIntervalSeconds = 300
        chair.prepare(
            program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), rate: DoseRate(0.75, .milligramsPerKilogramPerHour)))
        #expect(chair.command(.start)?.isSuccess == true)
        return chair
    }

    /// Checkpoint through JSON and a fresh core restored from it, links up and vitals flowing.
    private func restarted(_ chair: ChairHarness) throws -> ChairHarness {
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONEncoder().encode(chair.core.checkpoint))
        var after = ChairHarness()
        after.now = chair.now + .seconds(20)
        after.pumpRate = chair.pumpRate
        after.pumpVolume = chair.pumpVolume
        _ = after.restore(checkpoint, outage: .seconds(20), deliverToPump: true)
        after.send(.link(.pump, isUp: true))
        after.send(.link(.monitor, isUp: true))
        after.run(seconds: 5)
        after.measureBloodPressure()
        return after
    }

    @Test func passingTheSoftLimitPausesAndResumingNeedsAReason() throws {
        var chair = openEndedChair()
        chair.run(seconds: 3_599)
        #expect(chair.core.state == .infusing)
        chair.run(seconds: 2)
        #expect(chair.core.state == .paused)
        #expect(chair.sessionTransitions(to: .paused).last?.reason == "session-dose-soft-limit")
        #expect(chair.pumpCommands.last == .pause && !chair.pumpRunning)
        #expect(chair.core.alarm(.sessionDoseSoftLimit)?.priority == .medium)

        #expect(chair.command(.resume(override: nil))?.error?.code == "soft-limit-needs-override")
        #expect(chair.command(.resume(override: LimitOverride(reason: " ")))?.error?.code == "override-reason-missing")
        #expect(chair.core.state == .paused)
        #expect(chair.command(.resume(override: LimitOverride(reason: "partial response")))?.isSuccess == true)
        #expect(chair.core.state == .infusing && chair.pumpRunning)
        #expect(chair.core.alarm(.sessionDoseSoftLimit) == nil)
        let override = try #require(chair.limitEvents.last)
        #expect(override.kind == .sessionDose && override.outcome == .softOverridden && override.reason == "partial response")

        // Not held again; the hard cap (1.0 mg/kg = 70 mg, at 80 min) still stops it.
        chair.run(seconds: 20 * 60 + 2)
        #expect(chair.core.state == .complete)
        #expect(chair.sessionTransitions(to: .complete).last?.reason == "session-dose-hard-limit")
        #expect(chair.sessionTransitions(to: .paused).count == 1)
    }

    @Test func aSessionDoseConfirmedAtProgramIsNotHeldAgain() {
        var chair = ChairHarness()
        chair.prepare(
            program: ProgramRequest(
                concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.9), durationMinutes: 72,
                override: LimitOverride(reason: "prescribed 0.9 mg/kg")))
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 72 * 60 + 2)
        #expect(chair.core.state == .complete)
        #expect(chair.sessionTransitions(to: .paused).isEmpty)
    }

    @Test func theHoldSurvivesARestart() throws {
        var chair = openEndedChair()
        chair.run(seconds: 3_601)
        #expect(chair.core.state == .paused)
        var after = try restarted(chair)
        #expect(after.core.session?.heldAtSessionDoseSoftLimit == true)
        #expect(after.command(.acknowledge(nil))?.isSuccess == true)
        #expect(after.command(.resume(override: nil))?.error?.code == "soft-limit-needs-override")
        #expect(after.command(.resume(override: LimitOverride(reason: "reviewed")))?.isSuccess == true)
    }

    @Test func theAlarmsThatPausedSurviveARestartLatched() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 60)
        chair.systolic = 190
        chair.measureBloodPressure()
        #expect(chair.core.state == .paused)
        chair.systolic = 120
        chair.measureBloodPressure()
        #expect(chair.core.alarm(.systolicHigh)?.isLatched == true)

        var after = try restarted(chair)
        #expect(after.core.session?.pauseCauses == [.systolicHigh])
        let restored = try #require(after.core.alarm(.systolicHigh))
        #expect(restored.isLatched && !restored.isAcknowledged && restored.priority == .high)
        // Acknowledging the restart alone is not enough: the pressure that paused the pump must be reset too.
        #expect(after.command(.acknowledge(.restartRecovery))?.isSuccess == true)
        #expect(after.command(.resume(override: nil))?.error?.code == "alarm-unacknowledged")
        #expect(after.command(.acknowledge(nil))?.isSuccess == true)
        #expect(after.command(.resume(override: nil))?.isSuccess == true)
    }

    @Test func anInfusingRestartAddsItsCauseToTheOthers() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 60)
        let checkpoint = chair.core.checkpoint
        var core = ChairCore()
        var outputs: [CoreOutput] = []
        var stored = checkpoint
        stored.session?.pauseCauses = [.spo2Low]
        core.restore(stored, outage: .seconds(5), at: chair.now + .seconds(5), into: &outputs)
        #expect(core.session?.pauseCauses == [.spo2Low, .restartRecovery])
    }
}
