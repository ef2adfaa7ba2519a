import InfusionCore
import Testing

/// IEC 60601-1-8 semantics of the alarm system, driven through a monitored chair.
@Suite struct AlarmScenarioTests {
    private func monitoredChair(_ configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        return chair
    }

    @Test func audioPauseEndsByItselfAtOneHundredTwentySeconds() {
        var chair = monitoredChair()
        chair.pulse = 115
        chair.run(seconds: 11)
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == true)
        chair.command(.silence)
        let silencedAt = chair.now
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == false)
        #expect(chair.core.audioPausedUntil == silencedAt + .seconds(120))
        chair.run(seconds: 119)
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == false)
        chair.run(seconds: 1)
        #expect(chair.core.audioPausedUntil == nil)
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == true)
        let ended = chair.log.compactMap { if case .event(.audioPause(let e)) = $0.output, !e.isPaused { e.time } else { nil } }
        #expect(ended == [silencedAt + .seconds(120)])
    }

    @Test func newConditionStillSoundsDuringAudioPause() {
        var chair = monitoredChair()
        chair.pulse = 115
        chair.run(seconds: 11)
        chair.command(.silence)
        chair.spo2 = 91
        chair.run(seconds: 16)
        let spo2 = chair.core.alarm(.spo2Low)
        #expect(spo2?.priority == .medium)
        #expect(spo2?.isAudible == true)
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == false)
    }

    @Test func acknowledgedAlarmReannouncesWhenItWorsens() {
        var chair = monitoredChair()
        chair.pulse = 115
        chair.run(seconds: 11)
        chair.command(.acknowledge(.heartRateHigh))
        #expect(chair.core.alarm(.heartRateHigh)?.isAudible == false)
        chair.pulse = 140
        chair.run(seconds: 11)
        let alarm = chair.core.alarm(.heartRateHigh)
        #expect(alarm?.priority == .high)
        #expect(alarm?.isAudible == true)
        #expect(chair.alarmEvents.map(\.transition) == [.raised, .acknowledged, .escalated])
    }

    @Test func unacknowledgedMediumEscalatesToHigh() {
        var configuration = CoreConfiguration()
        configuration.alarms.escalateUnacknowledgedMediumAfterSeconds = 60
        var chair = monitoredChair(configuration)
        chair.pulse = 115
        chair.run(seconds: 11)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .medium)
        chair.run(seconds: 60)
        let alarm = chair.core.alarm(.heartRateHigh)
        #expect(alarm?.priority == .high)
        #expect(alarm?.isEscalated == true)
    }

    @Test func latchingAndNonLatchingConditionsEndDifferently() {
        var chair = monitoredChair()
        // Systolic low is non-latching by default: it clears when the pressure recovers.
        chair.systolic = 85
        chair.measureBloodPressure()
        #expect(chair.core.alarm(.systolicLow)?.priority == .medium)
        chair.systolic = 110
        chair.measureBloodPressure()
        #expect(chair.core.alarm(.systolicLow) == nil)
        // Systolic high latches: it stays until acknowledged, then clears.
        chair.systolic = 165
        chair.measureBloodPressure()
        chair.systolic = 120
        chair.measureBloodPressure()
        #expect(chair.core.alarm(.systolicHigh)?.isLatched == true)
        chair.command(.acknowledge(nil))
        #expect(chair.core.alarm(.systolicHigh) == nil)
        let transitions = chair.alarmEvents.filter { $0.condition == .systolicHigh }.map(\.transition)
        #expect(transitions == [.raised, .latched, .cleared])
    }

    @Test func heartRateNeedsItsConditionDelay() {
        var chair = monitoredChair()
        chair.pulse = 135
        // The first high reading arrives 1 s in; the condition exists 10 s after it.
        chair.run(seconds: 10)
        #expect(chair.core.alarm(.heartRateHigh) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .high)
        // A single normal reading restarts the delay.
        var blip = monitoredChair()
        blip.pulse = 135
        blip.run(seconds: 5)
        blip.pulse = 80
        blip.run(seconds: 1)
        blip.pulse = 135
        blip.run(seconds: 9)
        #expect(blip.core.alarm(.heartRateHigh) == nil)
    }
}
