import InfusionCore
import Testing

/// Issue 17 item 1 (core): a silent monitor is an alarm in every state with a patient in the chair, at a
/// priority that fits the state, and every vital the chair uses goes stale on its own.
@Suite struct MonitorSupervisionTests {
    /// A chair taken in, with links up and vitals flowing.
    private func takenIn() -> ChairHarness {
        var chair = ChairHarness()
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        #expect(chair.command(.intake(ChairHarness.intake(weight: 70)))?.isSuccess == true)
        chair.run(seconds: 5)
        return chair
    }

    /// A chair whose short infusion (0.0125 mg/kg over 1 min) is over and which is in recovery.
    private func inRecovery() -> ChairHarness {
        var chair = ChairHarness()
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 62)
        #expect(chair.command(.recovery(aldrete: nil))?.isSuccess == true)
        #expect(chair.core.state == .recovery)
        return chair
    }

    @Test func aLostMonitorLinkIsRaisedInEveryPatientStateAtItsPriority() {
        var idle = ChairHarness()
        idle.send(.link(.monitor, isUp: false))
        idle.run(seconds: 1)
        #expect(idle.core.alarm(.monitorLinkLost) == nil, "no patient, nothing to watch")

        var intake = takenIn()
        intake.send(.link(.monitor, isUp: false))
        #expect(intake.core.alarm(.monitorLinkLost)?.priority == .low)

        var programmed = ChairHarness()
        programmed.prepare()
        programmed.send(.link(.monitor, isUp: false))
        #expect(programmed.core.alarm(.monitorLinkLost)?.priority == .low)
        #expect(programmed.command(.start)?.error?.code == "monitor-link-down")

        var paused = ChairHarness()
        paused.prepare()
        paused.command(.start)
        paused.run(seconds: 10)
        paused.command(.pause(reason: "nurse"))
        paused.send(.link(.monitor, isUp: false))
        #expect(paused.core.alarm(.monitorLinkLost)?.priority == .high)

        var recovery = inRecovery()
        recovery.send(.link(.monitor, isUp: false))
        #expect(recovery.core.alarm(.monitorLinkLost)?.priority == .medium)
    }

    @Test func spo2ThatStopsWhilePausedIsStaleAtHighPriority() {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 10)
        chair.command(.pause(reason: "nurse"))
        // The case: frames stop with the port open, the link still counts as up.
        chair.spo2 = nil
        chair.pulse = nil
        chair.run(seconds: 30)
        #expect(chair.core.alarm(.staleVitals) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.staleVitals)?.priority == .high)
        #expect(chair.core.firstStaleParameter(at: chair.now) == .spo2)
    }

    @Test func everyVitalTheChairUsesGoesStaleOnItsOwnInRecovery() {
        var chair = inRecovery()
        // SpO2 keeps coming; the pleth pulse rate, which the heart-rate rules use, stops.
        chair.pulse = nil
        chair.run(seconds: 30)
        #expect(chair.core.alarm(.staleVitals) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.staleVitals)?.priority == .medium)
        #expect(chair.core.firstStaleParameter(at: chair.now) == .pulseRate)
    }

    @Test func aParameterTheMonitorNeverSentIsNotStaleButOneThatStopsIs() {
        var chair = takenIn()
        // No ECG on this monitor: not an alarm.
        chair.run(seconds: 60)
        #expect(chair.core.alarm(.staleVitals) == nil)
        // An ECG that reports and then stops is.
        chair.send(.vital(VitalSign(parameter: .ecgHeartRate, value: 72, time: chair.now)))
        chair.run(seconds: 31)
        #expect(chair.core.alarm(.staleVitals)?.priority == .low)
        #expect(chair.core.firstStaleParameter(at: chair.now) == .ecgHeartRate)
        // The perfusion index no rule uses is never watched.
        #expect(chair.core.configuration.vitalAlarmRules.allSatisfy { !$0.parameters.contains(.perfusionIndex) })
    }

    @Test func aNewPatientsMonitorHasTheMaximumAgeToDeliverItsFirstReading() {
        var chair = ChairHarness()
        chair.spo2 = nil
        chair.pulse = nil
        chair.send(.link(.monitor, isUp: true))
        #expect(chair.command(.intake(ChairHarness.intake(weight: 70)))?.isSuccess == true)
        chair.run(seconds: 30)
        #expect(chair.core.alarm(.staleVitals) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.alarm(.staleVitals)?.priority == .low)
    }

    @Test func aConfiguredAgeForOneParameterApplies() throws {
        var configuration = CoreConfiguration()
        configuration.staleVitals.maximumAgeSecondsByParameter = [.pulseRate: 10]
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        chair.pulse = nil
        chair.run(seconds: 11)
        #expect(chair.core.firstStaleParameter(at: chair.now) == .pulseRate)
        #expect(chair.core.alarm(.staleVitals)?.priority == .low)
    }
}
