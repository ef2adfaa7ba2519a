import Foundation
import InfusionCore
import Testing

/// Crash recovery in the core: a checkpoint taken mid-infusion rebuilds the session on a fresh core, which
/// pauses, raises the restart alarm, refuses rate changes until it is acknowledged, and reconciles the dose
/// from the pump's counter.
@Suite struct RestartScenarioTests {
    /// A chair 10 minutes into the standard program, and a fresh chair restored from its checkpoint after
    /// `outageSeconds`, whose pump kept running (or not) meanwhile.
    private func restarted(outageSeconds: Int = 30, pumpKeptRunning: Bool = true, pauseReachesPump: Bool = false)
        -> (before: ChairHarness, after: ChairHarness, restore: [CoreOutput])
    {
        var before = ChairHarness()
        before.prepare()
        before.command(.start)
        before.run(seconds: 600)
        // The checkpoint travels through JSON as the store keeps it.
        let stored = try! JSONEncoder().encode(before.core.checkpoint)
        let checkpoint = try! JSONDecoder().decode(ChairCheckpoint.self, from: stored)

        var after = ChairHarness()
        after.now = before.now + .seconds(Int64(outageSeconds))
        after.pumpRunning = pumpKeptRunning
        after.pumpRate = before.pumpRate
        after.pumpVolume = before.pumpVolume + (pumpKeptRunning ? before.pumpRate * Double(outageSeconds) / 3_600 : 0)
        if !pumpKeptRunning { after.pumpAlarms = [.communicationTimeout] }
        let outputs = after.restore(checkpoint, outage: .seconds(outageSeconds), deliverToPump: pauseReachesPump)
        return (before, after, outputs)
    }

    @Test func checkpointSurvivesJSONAndRestoresTheSession() {
        let (before, after, _) = restarted()
        #expect(after.core.session?.intake == before.core.session?.intake)
        #expect(after.core.session?.program == before.core.session?.program)
        #expect(after.core.session?.infusionStartedAt == before.core.session?.infusionStartedAt)
        #expect(after.core.deliveredDose == before.core.deliveredDose)
        // The prediction carried the drug in the body through the outage at the running flow.
        let beforeConcentration = before.core.predictedConcentration ?? 0
        #expect((after.core.predictedConcentration ?? 0) > beforeConcentration)
    }

    /// A checkpoint written by the version before the weight unit, the session-dose hold and the latched
    /// pause causes (those keys absent) still reads back: a daemon that cannot read its last checkpoint
    /// refuses to start, so an upgrade must not strand a chair. Its weight was in kilograms.
    @Test func aCheckpointFromBeforeTheLaterFieldsStillReads() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 60)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(chair.core.checkpoint)) as? [String: Any])
        json["pauseCauseAlarms"] = nil
        var session = try #require(json["session"] as? [String: Any])
        for key in ["takenInAt", "heldAtSessionDoseSoftLimit", "sessionDoseSoftLimitOverridden"] { session[key] = nil }
        var intake = try #require(session["intake"] as? [String: Any])
        intake["weightUnit"] = nil
        session["intake"] = intake
        json["session"] = session
        let old = try JSONSerialization.data(withJSONObject: json)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: old)
        #expect(checkpoint.session?.intake.weightUnit == .kg)
        #expect(checkpoint.session?.weight == chair.core.session?.weight)
        #expect(checkpoint.pauseCauseAlarms.isEmpty && checkpoint.session?.heldAtSessionDoseSoftLimit == false)
        #expect(checkpoint.deliveredDose == chair.core.deliveredDose)
        // A request from a person still has to name the unit.
        let request = try JSONSerialization.data(withJSONObject: intake)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntakeRequest.self, from: request) }
    }

    @Test func aRestoredInfusionIsPausedWithTheRestartAlarmRaised() {
        let (_, after, outputs) = restarted()
        #expect(after.core.state == .paused)
        #expect(outputs.contains(.pump(.pause)))
        #expect(after.core.alarm(.restartRecovery)?.priority == .medium)
        #expect(outputs.contains { if case .event(.restart(let event)) = $0 { event.kind == .restored } else { false } })
    }

    @Test func rateChangesAndResumeWaitForTheAcknowledgement() {
        var (_, after, _) = restarted(pauseReachesPump: true)
        after.send(.link(.pump, isUp: true))
        after.send(.link(.monitor, isUp: true))
        after.run(seconds: 5)
        after.measureBloodPressure()
        let rate = DoseRate(0.5, .milligramsPerKilogramPerHour)
        #expect(after.command(.titrate(rate: rate, override: nil))?.error?.code == "restart-unacknowledged")
        #expect(after.command(.resume(override: nil))?.error?.code == "restart-unacknowledged")
        #expect(after.core.state == .paused, "nothing resumes by itself")
        // Links were down at the restart: those latched alarms are acknowledged as well.
        #expect(after.command(.acknowledge(nil))?.isSuccess == true)
        #expect(after.core.alarm(.restartRecovery) == nil)
        let resumed = after.command(.resume(override: nil))
        #expect(resumed?.isSuccess == true, "\(String(describing: resumed?.error))")
        #expect(after.core.state == .infusing)
    }

    @Test func theFirstReadBackReconcilesTheDoseFromThePumpCounter() {
        var (before, after, _) = restarted(outageSeconds: 120)
        after.send(.link(.pump, isUp: true))
        after.reportPump()
        let reconciled = after.log.compactMap { entry -> RestartEvent? in
            if case .event(.restart(let event)) = entry.output, event.kind == .reconciled { event } else { nil }
        }
        #expect(reconciled.count == 1)
        let event = try! #require(reconciled.first)
        // Two minutes at 26.25 mL/h of 2 mg/mL ran while the daemon was down: about 1.75 mg more.
        #expect(abs(event.deliveredDose.value - event.deliveredDoseAtCheckpoint.value - 1.75) < 0.05)
        #expect(event.deliveredDoseAtCheckpoint == before.core.deliveredDose)
        #expect(event.pumpState == .infusing)
        #expect(!event.pumpStoppedDuringOutage)
        // The two accounts now agree, so no divergence alarm follows from the outage.
        after.run(seconds: 5)
        #expect(after.core.alarm(.volumeDivergence) == nil)
    }

    @Test func aPumpStoppedBySafeModeIsReportedSo() {
        var (_, after, _) = restarted(outageSeconds: 60, pumpKeptRunning: false)
        after.send(.link(.pump, isUp: true))
        after.reportPump()
        let event = after.log.compactMap { entry -> RestartEvent? in
            if case .event(.restart(let event)) = entry.output, event.kind == .reconciled { event } else { nil }
        }.first
        #expect(event?.pumpStoppedDuringOutage == true)
        #expect(event?.safeModeExpired == true)
        #expect(after.core.state == .paused)
    }

    @Test func anIdleOrDischargedChairHasNothingToRestore() {
        var core = ChairCore()
        var outputs: [CoreOutput] = []
        core.restore(ChairCore().checkpoint, outage: .seconds(5), at: .seconds(10), into: &outputs)
        #expect(outputs.isEmpty)
        #expect(core.state == .idle)
        #expect(core.alarm(.restartRecovery) == nil)
    }

    @Test func recordKeepingFailureIsATechnicalAlarmWhileControlContinues() {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 10)
        chair.send(.recordKeeping(isHealthy: false))
        #expect(chair.core.alarm(.recordKeepingFailure)?.priority == .medium)
        chair.run(seconds: 10)
        #expect(chair.core.state == .infusing, "a full disk never stops the infusion")
        chair.send(.recordKeeping(isHealthy: true))
        #expect(chair.core.alarm(.recordKeepingFailure) == nil)
    }
}
