import InfusionCore
import Testing

/// What the core tells observers beyond its decisions: the session outline on each transition and the
/// latest cuff pressure with the delivery report.
@Suite struct ObserverEventTests {
    @Test func sessionTransitionsCarryTheSessionOutline() {
        var chair = ChairHarness()
        chair.prepare(weight: 80)
        let intake = chair.sessionTransitions(to: .intake).first?.session
        #expect(intake?.profileID == "ketamine-psychiatric")
        #expect(intake?.drugName == "ketamine")
        #expect(intake?.weight == Kilograms(80))
        #expect(intake?.doseRateUnit == .milligramsPerKilogramPerHour)
        #expect(intake?.programmedDose == nil, "nothing is programmed at intake")
        #expect(intake?.predictedConcentrationLimits == LimitBand(softMaximum: 300, hardMaximum: 500))

        let programmed = chair.sessionTransitions(to: .programmed).first?.session
        // 0.5 mg/kg for 80 kg at 2 mg/mL (the harness's program).
        #expect(programmed?.programmedDose == Milligrams(40))
        #expect(programmed?.concentration == MilligramsPerMillilitre(2))
    }

    @Test func aCuffReadingIsPublishedWithTheNextTickOnceForTheWholeCycle() {
        var chair = ChairHarness()
        chair.prepare()
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 3)
        chair.systolic = 151
        chair.diastolic = 93
        let before = chair.log.count
        chair.measureBloodPressure()
        #expect(reports(in: chair.log[before...]).isEmpty, "not before the cycle's readings are all in")
        chair.send(.tick)
        let published = reports(in: chair.log[before...])
        #expect(published.count == 1)
        #expect(published.first?.bloodPressure?.systolic == 151)
        #expect(published.first?.bloodPressure?.diastolic == 93)
        #expect(published.first?.bloodPressure?.time == chair.now)
        chair.send(.tick)
        #expect(reports(in: chair.log[before...]).count == 1, "published once per reading")
    }

    @Test func aCuffReadingBeforeProgrammingPublishesNothing() {
        var chair = ChairHarness()
        chair.send(.link(.monitor, isUp: true))
        chair.measureBloodPressure()
        chair.send(.tick)
        #expect(reports(in: chair.log[...]).isEmpty)
    }

    private func reports(in log: ArraySlice<(time: MonotonicInstant, output: CoreOutput)>) -> [DeliveryReport] {
        log.compactMap { if case .event(.delivery(let report)) = $0.output { report } else { nil } }
    }
}
