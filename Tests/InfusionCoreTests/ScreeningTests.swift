import Foundation
import InfusionCore
import Testing

/// Intake screening as data and the pre-start pressure rule (issue 18 item 6): pure, time injected.
@Suite struct ScreeningTests {
    private func answers(present: Set<Contraindication> = []) -> IntakeScreening {
        IntakeScreening(answers: Dictionary(uniqueKeysWithValues: Contraindication.allCases.map { ($0, present.contains($0)) }))
    }

    private func intake(
        screening: IntakeScreening?, override: LimitOverride? = nil
    ) -> IntakeRequest {
        var request = ChairHarness.intake(weight: 70)
        request.screening = screening
        request.screeningOverride = override
        return request
    }

    private func linkedChair(configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        chair.run(seconds: 2)
        return chair
    }

    @Test func theSignedChecklistAloneStaysValidAndTheRecordSaysSo() {
        var chair = linkedChair()
        #expect(chair.command(.intake(intake(screening: nil)))?.isSuccess == true)
        let outline = chair.core.session.map(SessionOutline.init)
        #expect(outline?.screening == ScreeningSummary(method: .signedChecklist, present: [], overrideReason: nil))
    }

    @Test func aStructuredScreeningWithNothingPresentTakesThePatientIn() {
        var chair = linkedChair()
        #expect(chair.command(.intake(intake(screening: answers())))?.isSuccess == true)
        #expect(chair.core.session.map(SessionOutline.init)?.screening?.method == .structured)
    }

    @Test func everyContraindicationMustBeAnswered() {
        var chair = linkedChair()
        var partial = answers()
        partial.answers[.activePsychosis] = nil
        partial.answers[.interstitialCystitis] = nil
        let result = chair.command(.intake(intake(screening: partial)))
        #expect(result?.error?.code == "screening-incomplete")
        #expect(result?.error?.details == ["interstitialCystitis", "activePsychosis"])
        #expect(chair.core.session == nil && chair.core.state == .idle)
    }

    @Test func uncontrolledHypertensionRefusesIntakeEvenWithAnOverride() {
        var chair = linkedChair()
        let result = chair.command(.intake(intake(
            screening: answers(present: [.uncontrolledHypertension]), override: LimitOverride(reason: "seen by GP"))))
        #expect(result?.error?.code == "contraindication-present")
        #expect(result?.error?.details == ["uncontrolledHypertension"])
        #expect(chair.core.session == nil)
    }

    @Test func aRelativeContraindicationNeedsAnOverrideWithAReason() {
        var chair = linkedChair()
        let present: Set<Contraindication> = [.raisedIntraocularPressure, .currentMania]
        let refused = chair.command(.intake(intake(screening: answers(present: present))))
        #expect(refused?.error?.code == "contraindication-needs-override")
        #expect(refused?.error?.details == ["raisedIntraocularPressure", "currentMania"])
        let blank = chair.command(.intake(intake(screening: answers(present: present), override: LimitOverride(reason: ""))))
        #expect(blank?.error?.code == "override-reason-missing")
        #expect(chair.core.session == nil)
        let accepted = chair.command(.intake(intake(
            screening: answers(present: present), override: LimitOverride(reason: "ophthalmology cleared; euthymic per psychiatrist"))))
        #expect(accepted?.isSuccess == true)
        #expect(accepted?.after?.session?.screening == ScreeningSummary(
            method: .structured, present: [.raisedIntraocularPressure, .currentMania],
            overrideReason: "ophthalmology cleared; euthymic per psychiatrist"))
    }

    @Test func theResponsesAndTheStructuredRequirementAreConfigurable() throws {
        let json = #"{"intakeScreening":{"responses":{"activePsychosis":"refuse","uncontrolledHypertension":"overrideWithReason"},"requireStructured":true}}"#
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.intakeScreening.response(to: .activePsychosis) == .refuse)
        #expect(configuration.intakeScreening.response(to: .uncontrolledHypertension) == .overrideWithReason)
        #expect(configuration.intakeScreening.response(to: .currentMania) == .overrideWithReason, "unnamed ones keep the default")
        var chair = linkedChair(configuration: configuration)
        #expect(chair.command(.intake(intake(screening: nil)))?.error?.code == "screening-required")
        #expect(chair.command(.intake(intake(screening: answers(present: [.activePsychosis]), override: LimitOverride(reason: "x"))))?
            .error?.code == "contraindication-present")
        #expect(chair.command(.intake(intake(
            screening: answers(present: [.uncontrolledHypertension]), override: LimitOverride(reason: "treated, 138/85 today"))))?
            .isSuccess == true)
    }

    @Test func aMisspeltContraindicationInTheConfigurationIsRefused() {
        let json = #"{"intakeScreening":{"responses":{"activePsychosys":"refuse"}}}"#
        #expect(throws: DecodingError.self, "a typo must not leave the clinic's rule silently unset") {
            try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        }
    }

    @Test func anUnknownContraindicationNameIsRefusedWhenRead() {
        let json = #"{"uncontrolledHypertension":false,"pregnancyy":false}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntakeScreening.self, from: Data(json.utf8)) }
    }

    // The pre-start pressure rule.

    /// A programmed chair whose baseline cuff pressure (taken after intake) is `systolic`/`diastolic`.
    private func programmedChair(systolic: Double, diastolic: Double, configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.systolic = systolic
        chair.diastolic = diastolic
        chair.prepare()
        return chair
    }

    @Test func aPressureWithinTheBoundStartsWithoutAnOverride() {
        var chair = programmedChair(systolic: 140, diastolic: 90)
        #expect(chair.command(.start)?.isSuccess == true, "140/90 is not above 140/90")
        #expect(chair.core.session?.preStartPressureOverride == nil)
    }

    @Test func aHighSystolicOrDiastolicNeedsAnOverrideWithAReasonAtStart() {
        for (systolic, diastolic) in [(152.0, 84.0), (128.0, 96.0)] {
            var chair = programmedChair(systolic: systolic, diastolic: diastolic)
            let refused = chair.command(.start)
            #expect(refused?.error?.code == "pre-start-pressure-high")
            #expect(refused?.error?.message.contains("\(Int(systolic))/\(Int(diastolic))") == true)
            #expect(chair.core.state == .programmed && !chair.pumpCommands.contains(.start))
            #expect(chair.command(.startWithOverride(LimitOverride(reason: " ")))?.error?.code == "override-reason-missing")
            #expect(chair.core.state == .programmed)
            let started = chair.command(.startWithOverride(LimitOverride(reason: "anxious; repeat 5 min later similar")), by: "dr-lee")
            #expect(started?.isSuccess == true)
            #expect(chair.core.state == .infusing)
            let confirmed = chair.core.session?.preStartPressureOverride
            #expect(confirmed?.systolic == systolic && confirmed?.diastolic == diastolic)
            #expect(confirmed?.reason == "anxious; repeat 5 min later similar" && confirmed?.operatorID == "dr-lee")
            #expect(started?.after?.session?.preStartPressureOverride == confirmed)
        }
    }

    @Test func theBoundIsConfigurableAndCanBeTurnedOff() throws {
        let raised = try JSONDecoder().decode(
            CoreConfiguration.self, from: Data(#"{"preStartBloodPressure":{"systolicAbove":160,"diastolicAbove":null}}"#.utf8))
        #expect(raised.preStartBloodPressure == PreStartPressurePolicy(systolicAbove: 160, diastolicAbove: nil))
        var chair = programmedChair(systolic: 155, diastolic: 104, configuration: raised)
        #expect(chair.command(.start)?.isSuccess == true)
        var high = programmedChair(systolic: 165, diastolic: 80, configuration: raised)
        #expect(high.command(.start)?.error?.code == "pre-start-pressure-high")
    }

    @Test func aPressureFromBeforeIntakeIsNotThisPatientsAndDoesNotCount() {
        var configuration = CoreConfiguration()
        configuration.requireBaselineBloodPressure = false
        var chair = ChairHarness(configuration: configuration)
        chair.systolic = 180
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        chair.run(seconds: 2)
        chair.measureBloodPressure()
        chair.run(seconds: 2)
        #expect(chair.command(.intake(ChairHarness.intake(weight: 70)))?.isSuccess == true)
        chair.run(seconds: 2)
        #expect(chair.command(.program(ProgramRequest(
            concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)))?.isSuccess == true)
        #expect(chair.command(.start)?.isSuccess == true, "the previous patient's 180 is not this patient's pressure")
    }

    @Test func theOverrideSurvivesTheCheckpoint() throws {
        var chair = programmedChair(systolic: 150, diastolic: 85)
        chair.command(.startWithOverride(LimitOverride(reason: "white-coat; home readings normal")))
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONEncoder().encode(chair.core.checkpoint))
        #expect(checkpoint.session?.preStartPressureOverride?.reason == "white-coat; home readings normal")
        #expect(checkpoint.shifted(by: .seconds(5)).session?.preStartPressureOverride?.time
            == chair.core.session?.preStartPressureOverride.map { $0.time + .seconds(5) })
    }
}
