import InfusionCore
import Testing

/// Issue 16 item 2: every phase of delivery sets the pump's own target on its infused counter, so a
/// dead daemon or a lost link cannot deliver past the phase; a pump that stops at its target is the
/// bound working, not a read-back mismatch.
@Suite struct PhaseTargetTests {
    private func targets(_ chair: ChairHarness) -> [Double] {
        chair.pumpCommands.compactMap { if case .setTarget(let target) = $0 { target } else { nil } }
    }

    /// 0.5 mg/kg at 70 kg = 35 mg = 17.5 mL at 2 mg/mL. After a pause, the resumed phase may deliver
    /// only what is left, counted from where the pump's counter stands.
    @Test func aDoseProgramsPhasesEndAtTheRemainingDose() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        #expect(targets(chair) == [17.5])
        chair.run(seconds: 600)
        chair.command(.pause(reason: "nausea"))
        chair.run(seconds: 5)
        chair.command(.resume(override: nil))
        let resumed = try #require(targets(chair).last)
        // The counter's 4.375 mL (10 min at 26.25 mL/h) plus the 13.125 mL left: still 17.5.
        #expect(abs(resumed - 17.5) < 0.01, "\(resumed)")
    }

    /// A pump a little faster than commanded reaches its target before the core's own account of the
    /// dose: it stops by itself, the session completes as dose reached, and no mismatch is raised.
    @Test func aPumpStoppedAtItsTargetCompletesTheDoseWithoutAMismatch() {
        var chair = ChairHarness()
        chair.pumpDeliveryFactor = 1.01
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 41 * 60)
        #expect(chair.core.state == .complete)
        #expect(chair.sessionTransitions(to: .complete).first?.reason == "dose-reached")
        #expect(abs(chair.pumpVolume - 17.5) < 0.001, "the pump stopped at its own target: \(chair.pumpVolume) mL")
        #expect(!chair.alarmEvents.contains { $0.condition == .readBackMismatch || $0.condition == .commandUnconfirmed })
        #expect(chair.certaintyEvents.allSatisfy { $0.reason == nil }, "delivery never shown uncertain")
    }

    /// A rate-only program has no dose to reach: its phase ends at the session's hard cap or the
    /// syringe's contents, whichever is less (here the 50 mL syringe; the cap is 8 mg/kg = 280 mL).
    @Test func aRateOnlyProgramIsBoundedByTheSyringeAndTheCap() {
        let chair = ChairHarness.infusingPainChair()
        #expect(targets(chair) == [50])
    }

    /// A bolus phase ends at the push's volume plus a few seconds of the program's flow; the end of
    /// the push sets the program's own target again.
    @Test func aBolusPhaseEndsAtThePushVolume() throws {
        var chair = ChairHarness.infusingPainChair()
        let counter = chair.pumpVolume
        // 0.1 mg/kg at 70 kg = 7 mg = 3.5 mL over 60 s on top of 17.5 mL/h.
        #expect(chair.command(.bolus(BolusRequest(dose: .init(0.1), seconds: 60, override: nil)))?.isSuccess == true)
        let bolusTarget = try #require(targets(chair).last)
        let push = (17.5 + 210) * 60 / 3_600 + 17.5 * 5 / 3_600
        #expect(abs(bolusTarget - (counter + push)) < 0.01, "\(bolusTarget) vs \(counter + push)")
        chair.run(seconds: 61)
        let after = try #require(targets(chair).last)
        #expect(after > bolusTarget, "back to the program's bound: \(after)")
        #expect(chair.pumpRunning)
    }

    /// A chair whose pump has no safe mode (Harvard) refuses a bolus unless the site allows it.
    @Test func aBolusNeedsAPumpSideStopOrTheSitesConsent() {
        var withoutSideStop = CoreConfiguration()
        withoutSideStop.pumpStopsWhenHostFallsSilent = false
        var refused = ChairHarness.infusingPainChair(configuration: withoutSideStop)
        let request = BolusRequest(dose: .init(0.1), seconds: 60, override: nil)
        #expect(refused.command(.bolus(request))?.error?.code == "bolus-needs-pump-side-stop")
        var allowed = withoutSideStop
        allowed.allowBolusWithoutPumpSideStop = true
        var chair = ChairHarness.infusingPainChair(configuration: allowed)
        #expect(chair.command(.bolus(request))?.isSuccess == true)
    }
}
