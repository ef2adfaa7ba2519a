import InfusionCore
import Testing

/// Issue 16 in the core: a halt is repeated until a read-back confirms it, driver failures are
/// inputs, and delivery the pump has not confirmed is uncertain, never shown as known.
@Suite struct PumpTruthTests {
    private func failure(_ command: PumpCommand, _ reason: PumpCommandFailure.Reason, observed: PumpObservation? = nil)
        -> CoreInput
    {
        .pumpCommandFailed(PumpCommandFailure(command: command, reason: reason, message: "test", observation: observed))
    }

    @Test func aPauseThePumpIgnoredIsSentAgainUntilConfirmed() {
        var chair = ChairHarness.infusingPsychiatricChair()
        chair.pumpIgnoresHalts = 1
        chair.command(.pause(reason: "nausea"))
        #expect(chair.pumpRunning, "the pump missed the first pause")
        // The driver's read-back after the pause shows the pump still infusing.
        let observed = PumpObservation(state: .infusing, rateMillilitresPerHour: 26.25, infusedMillilitres: 0.5, time: chair.now)
        let outputs = chair.send(failure(.pause, .readBackMismatch, observed: observed))
        #expect(outputs.contains(.pump(.pause)), "the pause is repeated at once after the failure")
        #expect(!chair.pumpRunning)
        #expect(chair.core.deliveryUncertainty == .pumpRunningWhenHalted, "the read-back showed it moving")
        chair.run(seconds: 1)
        #expect(chair.core.deliveryUncertainty == nil, "the next read-back confirms the pause")
        #expect(chair.certaintyEvents.map(\.reason) == [.pumpRunningWhenHalted, nil])
        #expect(chair.core.state == .paused)
    }

    @Test func aStopNeverConfirmedKeepsTheSessionFromCompletingAndRepeatsEverySecond() {
        var chair = ChairHarness.infusingPsychiatricChair()
        chair.pumpIgnoresHalts = 1_000
        chair.pumpAnswers = false
        let stoppedAt = chair.now
        #expect(chair.command(.stop(reason: "done"))?.isSuccess == true)
        chair.run(seconds: 10)
        #expect(chair.core.state == .infusing, "not complete while the stop is unconfirmed")
        #expect(chair.core.deliveryUncertainty == .commandNotConfirmed)
        #expect(chair.core.alarm(.commandUnconfirmed)?.priority == .high)
        let repeats = chair.pumpCommands(since: stoppedAt).filter { $0 == .stop }.count
        #expect(repeats >= 9 && repeats <= 12, "about one stop per second: \(repeats)")
        #expect(chair.command(.titrate(rate: DoseRate(0.5, .milligramsPerKilogramPerHour), override: nil))?.error?.code == "stop-pending")
        #expect(chair.command(.resume(override: nil))?.error?.code == "stop-pending")
        #expect(chair.command(.recovery(aldrete: nil))?.error?.code == "delivery-uncertain")

        chair.pumpIgnoresHalts = 0
        chair.pumpAnswers = true
        chair.run(seconds: 2)
        #expect(chair.core.state == .complete)
        #expect(chair.sessionTransitions(to: .complete).first?.reason == "operator-stopped")
        #expect(chair.core.deliveryUncertainty == nil)
    }

    @Test func aPumpFoundRunningAfterTheSessionIsHaltedAgain() {
        var chair = ChairHarness.infusingPsychiatricChair()
        chair.command(.stop(reason: "done"))
        chair.run(seconds: 2)
        #expect(chair.core.state == .complete)
        // Someone starts the pump by hand: the core halts it again and says so.
        chair.pumpRunning = true
        let before = chair.now
        chair.run(seconds: 2)
        #expect(chair.pumpCommands(since: before).contains(.stop))
        #expect(!chair.pumpRunning)
        #expect(chair.certaintyEvents.contains { $0.reason == .pumpRunningWhenHalted })
        #expect(chair.alarmEvents.contains { $0.condition == .readBackMismatch && $0.transition == .raised })
    }

    @Test func aLostPumpLinkMakesDeliveryUncertainAndEveryFailureIsAnInput() {
        var chair = ChairHarness.infusingPsychiatricChair()
        chair.send(.link(.pump, isUp: false))
        #expect(chair.core.deliveryUncertainty == .pumpLinkDown)
        #expect(chair.certaintyEvents.last?.since == chair.now)
        chair.send(.link(.pump, isUp: true))
        chair.run(seconds: 2)
        #expect(chair.core.deliveryUncertainty == nil)
        // A refused rate change: certainly not carried out, and said so.
        chair.send(failure(.setRate(.init(30)), .notCarriedOut))
        #expect(chair.core.deliveryUncertainty == .commandNotCarriedOut)
    }
}

/// The pump's volume counter belongs to one session: it is cleared at the session's first start,
/// and a counter value from before the clear never reaches the ledger.
@Suite struct PumpCounterTests {
    @Test func aNewSessionClearsThePumpCounterAndStartsAtZeroDelivered() {
        var chair = ChairHarness()
        chair.pumpVolume = 3.5  // left by the previous patient's session
        chair.prepare()
        chair.run(seconds: 1)
        let startedAt = chair.now
        chair.command(.start)
        #expect(chair.pumpCommands(since: startedAt).first == .clearVolume, "cleared before the pump is set and started")
        chair.run(seconds: 1)
        #expect(chair.core.deliveredDose.value < 0.05, "\(chair.core.deliveredDose)")
        // A resume is not a new session: the counter keeps its volume.
        chair.command(.pause(reason: "nausea"))
        let resumedAt = chair.now
        chair.run(seconds: 2)
        chair.command(.resume(override: nil))
        #expect(!chair.pumpCommands(since: resumedAt).contains(.clearVolume))
    }

    @Test func aCounterReadBeforeTheClearIsNotTaken() {
        var chair = ChairHarness()
        chair.pumpVolume = 3.5
        chair.prepare()
        chair.pumpAnswers = false
        chair.command(.start)
        // A poll from before the clear arrives late, showing the old volume.
        chair.send(.pump(PumpObservation(state: .infusing, rateMillilitresPerHour: 26.25, infusedMillilitres: 3.5, time: chair.now)))
        #expect(chair.core.deliveredDose.value < 0.05, "the previous session's 3.5 mL (7 mg) is not this session's: \(chair.core.deliveredDose)")
        chair.pumpAnswers = true
        chair.run(seconds: 60)
        // 26.25 mL/h × 60 s = 0.4375 mL = 0.875 mg at 2 mg/mL.
        #expect(abs(chair.core.deliveredDose.value - 0.875) < 0.05, "\(chair.core.deliveredDose)")
    }
}
