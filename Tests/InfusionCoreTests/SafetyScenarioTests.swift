import InfusionCore
import Testing

/// The safety checks, each a short scenario: inputs → expected decisions.
@Suite struct SafetyScenarioTests {
    /// A chair infusing the standard psychiatric program for `minutes`.
    private func infusing(for seconds: Int = 60, configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: seconds)
        return chair
    }

    @Test func tenFoldRateSlipIsRefusedByTheHardLimit() {
        var chair = infusing()
        let before = chair.pumpCommands.count
        let result = chair.command(.titrate(rate: DoseRate(7.5, .milligramsPerKilogramPerHour), override: LimitOverride(reason: "typo")))
        #expect(result?.error?.code == "hard-limit")
        #expect(chair.limitEvents.contains { $0.kind == .doseRate && $0.outcome == .hardRefused && $0.limit == 1.5 })
        #expect(chair.pumpCommands.count == before, "nothing reaches the pump")
        #expect(chair.core.deliveringFlow == .init(26.25))
    }

    @Test func softOverrideNeedsAReasonAndIsRecorded() {
        var chair = infusing()
        let oneMilligram = DoseRate(1.0, .milligramsPerKilogramPerHour)
        #expect(chair.command(.titrate(rate: oneMilligram, override: nil))?.error?.code == "soft-limit-needs-override")
        #expect(chair.command(.titrate(rate: oneMilligram, override: LimitOverride(reason: "  ")))?.error?.code == "override-reason-missing")
        // Both attempts broke the rate soft limit (and the predicted-concentration soft ceiling too).
        #expect(chair.limitEvents.filter { $0.outcome == .softRefused && $0.kind == .doseRate }.count == 2)
        #expect(chair.core.deliveringFlow == .init(26.25))

        let outputs = chair.send(
            .command(OperatorCommand(id: "t1", operatorID: "dr-lee", action: .titrate(rate: oneMilligram, override: LimitOverride(reason: "partial response"))))
        )
        // The pump command is in the very same answer: 1 mg/kg/h × 70 kg ÷ 2 mg/mL = 35 mL/h.
        #expect(outputs.contains(.pump(.setRate(.init(35)))))
        #expect(outputs.accepted("t1"))
        let override = chair.limitEvents.last
        #expect(override?.outcome == .softOverridden)
        #expect(override?.reason == "partial response")
        #expect(override?.operatorID == "dr-lee")
        #expect(override?.libraryVersion == "builtin-1")
    }

    @Test func titrationInMillilitresPerHourIsCheckedInWeightBasedUnitsToo() {
        var chair = infusing()
        // 60 mL/h at 2 mg/mL for 70 kg is 1.71 mg/kg/h: past the 1.5 mg/kg/h hard limit.
        #expect(chair.command(.titrate(rate: DoseRate(60, .millilitresPerHour), override: nil))?.error?.code == "hard-limit")
        #expect(chair.command(.titrate(rate: DoseRate(20, .millilitresPerHour), override: nil))?.isSuccess == true)
        #expect(chair.pumpCommands.last == .setRate(.init(20)))
    }

    @Test func hypertensivePatientIsPausedAtOnceAndNeverResumesAlone() {
        var chair = infusing(for: 300)
        chair.systolic = 185
        let readingTime = chair.now
        chair.measureBloodPressure()
        // Cuff readings have no condition delay: paused within the same tick.
        #expect(chair.core.state == .paused)
        #expect(chair.pumpCommands(since: readingTime) == [.pause])
        #expect(chair.core.alarm(.systolicHigh)?.priority == .high)
        #expect(!chair.pumpRunning)

        // Blood pressure recovers; an hour passes; nothing restarts the pump.
        chair.systolic = 130
        chair.nibpIntervalSeconds = 300
        chair.run(seconds: 3_600)
        #expect(chair.core.state == .paused)
        #expect(!chair.pumpCommands(since: readingTime).contains(.start))
        #expect(chair.core.alarm(.systolicHigh)?.isLatched == true)

        #expect(chair.command(.resume(override: nil))?.error?.code == "alarm-unacknowledged")
        chair.command(.acknowledge(nil))
        #expect(chair.command(.resume(override: nil))?.isSuccess == true)
        #expect(chair.pumpRunning)
    }

    @Test func confirmingCuffReadingOptionWaitsForTheSecondReading() {
        var configuration = CoreConfiguration()
        configuration.interlock.confirmBloodPressureBeforePause = true
        var chair = infusing(configuration: configuration)
        chair.systolic = 190
        chair.measureBloodPressure()
        #expect(chair.core.state == .infusing)
        #expect(chair.core.alarm(.systolicHigh)?.priority == .high, "the alarm itself is not delayed")
        #expect(interlockKinds(chair) == [.awaitingConfirmingReading], "asked once, however many ticks pass")
        chair.run(seconds: 60)
        #expect(interlockKinds(chair) == [.awaitingConfirmingReading])
        chair.measureBloodPressure()
        #expect(chair.core.state == .paused)
        #expect(interlockKinds(chair) == [.awaitingConfirmingReading, .paused, .awaitingConfirmingReadingEnded])
    }

    @Test func aNormalConfirmingReadingEndsTheRequestWithoutAPause() {
        var configuration = CoreConfiguration()
        configuration.interlock.confirmBloodPressureBeforePause = true
        var chair = infusing(configuration: configuration)
        chair.systolic = 190
        chair.measureBloodPressure()
        chair.run(seconds: 30)
        chair.systolic = 135
        chair.measureBloodPressure()
        chair.run(seconds: 5)
        #expect(chair.core.state == .infusing)
        #expect(interlockKinds(chair) == [.awaitingConfirmingReading, .awaitingConfirmingReadingEnded])
    }

    private func interlockKinds(_ chair: ChairHarness) -> [InterlockEvent.Kind] {
        chair.log.compactMap { if case .event(.interlock(let e)) = $0.output { e.kind } else { nil } }
    }

    @Test func lowSpO2PausesAfterItsConditionDelayPlusOneTick() {
        var chair = infusing()
        chair.spo2 = 86
        let dropped = chair.now
        chair.run(seconds: 19)
        #expect(chair.core.state == .infusing)
        #expect(chair.core.alarm(.spo2Low)?.priority == .medium, "medium after 15 s")
        chair.run(seconds: 2)
        #expect(chair.core.state == .paused)
        let pausedAt = chair.sessionTransitions(to: .paused).first?.time ?? .zero
        #expect(pausedAt - dropped <= .seconds(21))
    }

    @Test func staleVitalsWhileInfusingPauseThePump() {
        var chair = infusing()
        chair.spo2 = nil
        chair.run(seconds: 30)
        #expect(chair.core.state == .infusing)
        chair.run(seconds: 2)
        #expect(chair.core.state == .paused)
        #expect(chair.core.alarm(.staleVitals)?.priority == .high)
        // Untrustworthy readings are missing data, not fresh data.
        var flagged = infusing()
        flagged.spo2 = nil
        for _ in 0..<40 {
            flagged.send(.vital(VitalSign(parameter: .spo2, value: 97, time: flagged.now, flags: .artefact)))
            flagged.run(seconds: 1)
        }
        #expect(flagged.core.state == .paused)
    }

    @Test func lostMonitorOrPumpLinkPausesThePump() {
        var monitorLost = infusing()
        monitorLost.send(.link(.monitor, isUp: false))
        #expect(monitorLost.core.state == .paused)
        #expect(monitorLost.core.alarm(.monitorLinkLost) != nil)

        var pumpLost = infusing()
        pumpLost.send(.link(.pump, isUp: false))
        #expect(pumpLost.core.state == .paused)
        #expect(pumpLost.pumpCommands.last == .pause, "the pause is still sent in case the link half-works")
    }

    @Test func predictedConcentrationCeilingRefusesTitration() {
        var chair = ChairHarness()
        chair.prepare(
            profileID: "ketamine-chronic-pain",
            program: ProgramRequest(concentration: .init(10), syringeVolume: .init(50), rate: DoseRate(0.5, .milligramsPerKilogramPerHour))
        )
        chair.command(.start)
        chair.run(seconds: 600)
        // 1.9 mg/kg/h is inside the 2.0 hard rate limit, and its soft excess is overridden, but Kamp
        // predicts well over 500 ng/mL within the horizon.
        let result = chair.command(
            .titrate(rate: DoseRate(1.9, .milligramsPerKilogramPerHour), override: LimitOverride(reason: "pain crisis"))
        )
        #expect(result?.error?.code == "hard-limit")
        #expect(chair.limitEvents.last?.kind == .predictedConcentration)
        #expect((chair.limitEvents.last?.requested ?? 0) > 500)
        #expect(chair.core.deliveringFlow == .init(3.5))
    }

    @Test func pumpDeliveringLessThanCommandedRaisesVolumeDivergence() {
        var chair = ChairHarness()
        chair.pumpDeliveryFactor = 0.8
        chair.prepare()
        chair.command(.start)
        // After 6 min the accounts differ by 0.53 mL, past the 0.5 mL absolute bound (§6.3).
        chair.run(seconds: 5 * 60)
        #expect(chair.core.alarm(.volumeDivergence) == nil)
        chair.run(seconds: 60)
        #expect(chair.core.alarm(.volumeDivergence) != nil)
        #expect(chair.core.state == .paused)
    }

    @Test func rateReadBackMismatchPausesThePump() {
        var chair = infusing(for: 10)
        chair.pumpReportsRate = 262.5
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.readBackMismatch)?.priority == .high)
        #expect(chair.core.state == .paused)
    }

    @Test func commandNeverConfirmedRaisesAnAlarmAfterThreeSeconds() {
        var chair = ChairHarness()
        chair.prepare()
        chair.pumpAnswers = false
        chair.command(.start)
        chair.run(seconds: 3)
        #expect(chair.core.alarm(.commandUnconfirmed) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.commandUnconfirmed)?.priority == .high)
        #expect(chair.core.state == .paused)
    }

    @Test func pumpOcclusionIsAHighAlarmAndPauses() {
        var chair = infusing()
        chair.pumpRunning = false
        chair.pumpAlarms = [.occlusion]
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.pumpOcclusion)?.priority == .high)
        #expect(chair.core.alarm(.readBackMismatch) == nil, "a pump that says why it stopped is not a mismatch")
        #expect(chair.core.state == .paused)
    }
}
