import InfusionCore
import Testing

/// `ChairCore.isQuiescent`, on which the control loop's idle period rests (issue 21): a chair with nobody
/// watched and nothing pending is quiescent; one with a patient is not, because time alone changes it. The
/// soundness side (a quiescent chair never decides anything on a later tick) is checked by `ChairHarness`
/// after every input of every scenario test.
@Suite struct QuiescenceTests {
    @Test func anEmptyChairIsQuiescentEvenWithItsMonitorReporting() {
        var chair = ChairHarness()
        #expect(chair.core.isQuiescent)
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        chair.run(seconds: 5)
        #expect(chair.core.state == .idle)
        #expect(chair.core.isQuiescent)
    }

    @Test func aChairWithAPatientIsNotQuiescentBecauseTimeChangesIt() {
        var chair = ChairHarness()
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        #expect(chair.command(.intake(ChairHarness.intake(weight: 70)))?.isSuccess == true)
        #expect(!chair.core.isQuiescent)
        // Why it must be ticked: with the monitor silent, a later tick raises the stale-vitals alarm.
        var later = chair.core
        let decided = later.handle(.tick, at: chair.now + .seconds(600))
        #expect(decided.contains { if case .event(.alarm) = $0 { true } else { false } }, "\(decided)")
    }

    @Test func anInfusingOrPausedChairIsNotQuiescent() {
        var chair = ChairHarness.infusingPsychiatricChair()
        #expect(!chair.core.isQuiescent)
        #expect(chair.command(.pause(reason: "patient asked"))?.isSuccess == true)
        chair.run(seconds: 2)
        #expect(chair.core.state == .paused)
        #expect(!chair.core.isQuiescent)
    }
}
