import InfusionCore
import Testing

/// `ChairCore.outwardStatus`: the one model of the chair every display shows, built from the core's own state.
@Suite struct OutwardStatusTests {
    @Test func anInfusingChairShowsItsSessionDeliveryAndCompletion() throws {
        let chair = ChairHarness.infusingPsychiatricChair()
        let status = chair.core.outwardStatus
        #expect(status.state == .infusing)
        #expect(status.session?.programmedDose == Milligrams(35))
        #expect(status.commandedFlow == MillilitresPerHour(26.25), "35 mg at 2 mg/mL over 40 min")
        #expect(status.confirmedFlow == status.commandedFlow, "the pump's read-back confirms it")
        #expect(status.doseRate == DoseRate(0.75, .milligramsPerKilogramPerHour))
        #expect(status.deliveredDose == chair.core.deliveredDose)
        #expect(status.bloodPressure?.systolic == 120)
        #expect(status.syringeRemainingMillilitres.map { abs($0 - (50 - 26.25 / 60)) < 0.01 } == true)
        // 59 of the 40 minutes' 2,400 s are past at the status's instant (the start's own tick aside).
        let completion = try #require(status.estimatedCompletion)
        let secondsLeft = Double(completion.nanoseconds - status.time.nanoseconds) / 1e9
        #expect(abs(secondsLeft - 2_340) < 2, "\(secondsLeft)")
        #expect(status.time == chair.now)
    }

    @Test func aCommandsResultCarriesTheChairAsTheCommandLeftIt() throws {
        var chair = ChairHarness.infusingPsychiatricChair()
        let paused = chair.command(.pause(reason: "nausea"))
        let after = try #require(paused?.after)
        #expect(after.state == .paused)
        #expect(after.commandedFlow == .zero)
        #expect(after.estimatedCompletion == nil, "a paused pump completes nothing")
        #expect(after == chair.core.outwardStatus, "nothing after the result changed the chair")
    }

    @Test func uncertainDeliveryShowsNoFlowAndNoCompletion() {
        var chair = ChairHarness.infusingPsychiatricChair()
        chair.send(.link(.pump, isUp: false))
        chair.run(seconds: 1)
        let status = chair.core.outwardStatus
        #expect(status.deliveryUncertainty.reason == .pumpLinkDown)
        #expect(status.confirmedFlow == nil, "never the commanded flow while the pump does not confirm it")
        #expect(status.commandedFlow == .zero, "the core has told the pump it cannot reach to halt")
        #expect(status.estimatedCompletion == nil)
        #expect(status.alarms.first?.priority == .high, "highest priority first")
    }

    @Test func aNewPatientKeepsNothingOfThePreviousOne() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.run(seconds: 60)
        #expect(chair.core.outwardStatus.bloodPressure != nil && chair.core.outwardStatus.session?.programmedDose != nil)
        let result = chair.command(.intake(ChairHarness.intake(weight: 80)))
        #expect(result?.isSuccess == true, "\(String(describing: result?.error))")
        let after = try #require(result?.after)
        #expect(after.state == .intake)
        #expect(after.deliveredDose == .zero)
        #expect(after.session?.weight == Kilograms(80))
        #expect(after.session?.programmedDose == nil)
        #expect(after.bloodPressure == nil, "the previous patient's cuff reading is not this one's")
        #expect(after.observations.isEmpty)
        #expect(after.takenInAt == chair.now)
    }
}
