import Foundation
import InfusionCore
import Testing

/// Issue 17 item 6: one patient's data never reaches the next. Intake forgets the vitals, the condition
/// delays in progress and the alarms of the previous patient; `start` wants a cuff pressure measured after
/// intake and no older than the configured age.
@Suite struct NextPatientTests {
    private let program = ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)

    /// A chair whose previous patient left a cuff pressure, then a new intake and program.
    private func chairAfterPreviousPatient(configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        chair.run(seconds: 5)
        chair.measureBloodPressure()
        chair.run(seconds: 5)
        #expect(chair.command(.intake(ChairHarness.intake(weight: 70)))?.isSuccess == true)
        chair.run(seconds: 5)
        #expect(chair.command(.program(program))?.isSuccess == true)
        return chair
    }

    @Test func thePreviousPatientsCuffPressureIsNotABaseline() {
        var chair = chairAfterPreviousPatient()
        #expect(chair.command(.start)?.error?.code == "no-baseline-bp")
        chair.measureBloodPressure()
        #expect(chair.command(.start)?.isSuccess == true)
        #expect(chair.core.session?.baselineSystolic == 120)
    }

    @Test func aCuffPressureMeasuredBeforeIntakeButDeliveredAfterIsRefused() {
        var chair = chairAfterPreviousPatient()
        // An IntelliVue dates its cuff pressures: this one was measured 8 s before the intake.
        let measured = chair.now + .seconds(-13)
        chair.send(.vital(VitalSign(parameter: .nibpSystolic, value: 190, time: measured)))
        chair.send(.vital(VitalSign(parameter: .nibpDiastolic, value: 95, time: measured)))
        #expect(chair.command(.start)?.error?.code == "no-baseline-bp")
        #expect(chair.core.alarm(.systolicHigh) == nil, "nor does it raise the new patient's alarms")
    }

    @Test func aBaselineOlderThanTheConfiguredAgeIsRefused() {
        var configuration = CoreConfiguration()
        configuration.baselineBloodPressureMaximumAgeSeconds = 120
        configuration.bloodPressureCadence.cycleSeconds = nil
        var chair = chairAfterPreviousPatient(configuration: configuration)
        chair.measureBloodPressure()
        chair.run(seconds: 120)
        #expect(chair.command(.start)?.isSuccess == true, "exactly the configured age is still a baseline")
        var late = chairAfterPreviousPatient(configuration: configuration)
        late.measureBloodPressure()
        late.run(seconds: 121)
        let refused = late.command(.start)
        #expect(refused?.error?.code == "no-baseline-bp")
        #expect(refused?.error?.message.contains("2 min old") == true)
        late.measureBloodPressure()
        #expect(late.command(.start)?.isSuccess == true)
    }

    @Test func theDefaultBaselineAgeIsFifteenMinutes() throws {
        #expect(CoreConfiguration().baselineBloodPressureMaximumAgeSeconds == 900)
        let decoded = try JSONDecoder().decode(
            CoreConfiguration.self, from: Data(#"{"baselineBloodPressureMaximumAgeSeconds":300}"#.utf8))
        #expect(decoded.baselineBloodPressureMaximumAgeSeconds == 300)
    }

    @Test func intakeForgetsTheAlarmsAndConditionDelaysOfThePreviousPatient() throws {
        var chair = ChairHarness()
        chair.prepare()
        // The previous patient: a high pressure (latching) and a monitor that dropped out and came back.
        chair.systolic = 185
        chair.measureBloodPressure()
        chair.send(.link(.monitor, isUp: false))
        chair.send(.link(.monitor, isUp: true))
        chair.systolic = 120
        chair.measureBloodPressure()
        #expect(chair.core.alarm(.systolicHigh)?.isLatched == true)
        #expect(chair.core.alarm(.monitorLinkLost)?.isLatched == true)
        // A fast pulse 8 s into its 10-s condition delay when the next patient is taken in.
        chair.pulse = 135
        chair.run(seconds: 8)
        #expect(chair.core.alarm(.heartRateHigh) == nil)

        let before = chair.log.count
        #expect(chair.command(.intake(ChairHarness.intake(weight: 80)))?.isSuccess == true)
        #expect(chair.core.activeAlarms.isEmpty)
        let cleared = chair.log.dropFirst(before).compactMap { entry -> AlarmCondition? in
            if case .event(.alarm(let event)) = entry.output, event.transition == .cleared { event.condition } else { nil }
        }
        #expect(Set(cleared) == [.systolicHigh, .monitorLinkLost])
        // The delay starts again from the new patient's own readings.
        chair.run(seconds: 5)
        #expect(chair.core.alarm(.heartRateHigh) == nil)
        chair.run(seconds: 6)
        #expect(chair.core.alarm(.heartRateHigh)?.priority == .high)
    }
}
