import InfusionCore
import Testing

/// Issue 17 item 3 (core): ECG heart rate and pleth pulse rate are evaluated separately, each with its own
/// condition delay; the rule's `parameters` say which may alarm; a sustained disagreement is its own alarm.
@Suite struct HeartRateSourceTests {
    private func monitored(_ configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        return chair
    }

    @Test func anECGRateHighWhileThePlethIsNormalStillAlarms() {
        // The case: each second an ECG 140 and a pleth 95 arrive; before, each reset the other.
        var chair = monitored()
        chair.ecg = 140
        chair.pulse = 95
        chair.run(seconds: 10)
        #expect(chair.core.alarm(.heartRateHigh) == nil, "the 10-s condition delay holds")
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .high)
    }

    @Test func eachSourceHasItsOwnDelay() {
        var chair = monitored()
        // ECG high for 6 s, then the pleth high for 6 s: neither held for 10 s.
        chair.ecg = 140
        chair.run(seconds: 6)
        chair.ecg = 80
        chair.pulse = 140
        chair.run(seconds: 6)
        #expect(chair.core.alarm(.heartRateHigh) == nil)
        chair.run(seconds: 5)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .high, "the pleth's own 10 s")
    }

    @Test func theRuleSaysWhichSourceAlarms() {
        var configuration = CoreConfiguration()
        for i in configuration.vitalAlarmRules.indices where configuration.vitalAlarmRules[i].condition == .heartRateHigh {
            configuration.vitalAlarmRules[i].parameters = [.ecgHeartRate]
        }
        var chair = monitored(configuration)
        chair.ecg = 80
        chair.pulse = 140
        chair.run(seconds: 15)
        #expect(chair.core.alarm(.heartRateHigh) == nil, "the pleth is not a source of this rule")
        chair.ecg = 140
        chair.run(seconds: 11)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .high)
    }

    @Test func aSustainedDisagreementIsALowPriorityAlarmOfItsOwn() {
        var chair = monitored()
        chair.ecg = 100
        chair.pulse = 75
        chair.run(seconds: 30)
        #expect(chair.core.alarm(.heartRateSourcesDisagree) == nil, "25 /min apart, not yet for 30 s")
        chair.run(seconds: 1)
        let alarm = chair.core.alarm(.heartRateSourcesDisagree)
        #expect(alarm?.priority == .low && alarm?.condition.category == .technical)
        #expect(chair.core.alarm(.heartRateHigh) == nil, "neither rate is past a threshold")
        // They agree again: the alarm ends by itself (not latching).
        chair.pulse = 98
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.heartRateSourcesDisagree) == nil)
    }

    @Test func aGapWithinTheLimitOrAStaleSourceIsNoDisagreement() {
        var chair = monitored()
        chair.ecg = 90
        chair.pulse = 72
        chair.run(seconds: 60)
        #expect(chair.core.alarm(.heartRateSourcesDisagree) == nil, "18 /min is within the 20 /min gap")
        // An ECG that stopped reporting is stale, not in disagreement.
        chair.ecg = nil
        chair.pulse = 140
        chair.run(seconds: 40)
        #expect(chair.core.alarm(.heartRateSourcesDisagree) == nil)
        #expect(chair.core.firstStaleParameter(at: chair.now) == .ecgHeartRate)
    }

    @Test func theGapAndDelayAreConfigurable() {
        var configuration = CoreConfiguration()
        configuration.heartRateAgreement = HeartRateAgreementPolicy(maximumGapBeatsPerMinute: 10, delaySeconds: 5)
        var chair = monitored(configuration)
        chair.ecg = 90
        chair.pulse = 72
        chair.run(seconds: 6)
        #expect(chair.core.alarm(.heartRateSourcesDisagree)?.priority == .low)
        configuration.heartRateAgreement.maximumGapBeatsPerMinute = nil
        var off = monitored(configuration)
        off.ecg = 140
        off.pulse = 60
        off.run(seconds: 60)
        #expect(off.core.alarm(.heartRateSourcesDisagree) == nil)
    }
}
