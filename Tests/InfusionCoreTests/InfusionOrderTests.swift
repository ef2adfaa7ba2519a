import Foundation
import InfusionCore
import Testing

/// Orders from the clinic's order system (docs/INTEGRATION.md "Inbound orders"): staging changes nothing but the
/// chair's pending order; the nurse's `program` with the order programs it like any program, for its patient only.
@Suite struct ChairOrderTests {
    /// 0.5 mg/kg over 40 min as 0.75 mg/kg/h of ketamine 10 mg/mL, 3.5 mL to be infused, for a 70 kg patient
    /// MRN-0042 (the harness's intake).
    static func order(
        id: String = "PLACER-42", patient: String = "MRN-0042", drug: String = "Ketamine", code: String? = "KET",
        concentration: Double = 10, rate: DoseRate = DoseRate(0.75, .milligramsPerKilogramPerHour), weight: Double = 70,
        volume: Double? = 3.5
    ) -> InfusionOrderRequest {
        InfusionOrderRequest(
            orderID: id, patientID: patient, weight: weight, weightUnit: .kg, drugName: drug, drugCode: code,
            concentration: MilligramsPerMillilitre(concentration), rate: rate, volumeToBeInfused: volume.map(Millilitres.init))
    }

    /// A chair with links up, the harness's patient taken in under `profileID` and a baseline pressure.
    static func takenIn(profileID: String = "ketamine-psychiatric", patient: String = "MRN-0042") -> ChairHarness {
        var chair = ChairHarness()
        chair.send(.link(.pump, isUp: true))
        chair.send(.link(.monitor, isUp: true))
        var intake = ChairHarness.intake(profileID: profileID, weight: 70)
        intake.patientID = patient
        #expect(chair.command(.intake(intake))?.isSuccess == true)
        chair.run(seconds: 5)
        chair.measureBloodPressure()
        return chair
    }

    var orderEvents: (ChairHarness) -> [OrderEvent] = { chair in
        chair.log.compactMap { if case .event(.order(let event)) = $0.output { event } else { nil } }
    }

    @Test func stagingOnAnIdleChairChangesNothingButThePendingOrder() {
        var chair = ChairHarness()
        let result = chair.command(.stageOrder(Self.order()), by: "uid:990")
        #expect(result?.isSuccess == true)
        #expect(chair.core.state == .idle && chair.core.session == nil)
        #expect(chair.pumpCommands.isEmpty, "staging never reaches the pump")
        let pending = chair.core.pendingOrder
        #expect(pending?.request.orderID == "PLACER-42" && pending?.stagedBy == "uid:990")
        #expect(Set(pending?.profileIDs ?? []) == ["ketamine-psychiatric", "ketamine-chronic-pain"], "every entry for ketamine")
        #expect(orderEvents(chair).map(\.kind) == [.staged])
    }

    @Test func theSameOrderAgainIsOneOrderAndOtherValuesUnderItsIdAreRefused() {
        var chair = ChairHarness()
        #expect(chair.command(.stageOrder(Self.order()))?.isSuccess == true)
        #expect(chair.command(.stageOrder(Self.order()))?.isSuccess == true)
        #expect(orderEvents(chair).count == 1, "a resent order stages nothing new")
        let changed = chair.command(.stageOrder(Self.order(rate: DoseRate(0.6, .milligramsPerKilogramPerHour))))
        #expect(changed?.error?.code == "order-conflict")
        #expect(chair.core.pendingOrder?.request.rate.value == 0.75)
    }

    @Test func aNewOrderReplacesThePendingOne() {
        var chair = ChairHarness()
        chair.command(.stageOrder(Self.order()))
        #expect(chair.command(.stageOrder(Self.order(id: "PLACER-43")))?.isSuccess == true)
        #expect(chair.core.pendingOrder?.request.orderID == "PLACER-43")
        #expect(orderEvents(chair).last?.replacedOrderID == "PLACER-42")
    }

    @Test(arguments: [
        (order(drug: "Propofol", code: "PROP"), "unknown-drug"),
        (order(concentration: 50), "concentration-not-in-library"),
        (order(rate: DoseRate(5, .milligramsPerKilogramPerHour)), "hard-limit"),
        (order(weight: 900), "hard-limit"),
        (order(volume: 100), "hard-limit"),
        (order(weight: 0), "invalid-argument"),
        (order(id: " "), "invalid-argument"),
        (order(patient: ""), "invalid-argument"),
    ])
    func anOrderThatCanNeverRunIsRefusedAndNothingIsStaged(order: InfusionOrderRequest, code: String) {
        var chair = ChairHarness()
        #expect(chair.command(.stageOrder(order))?.error?.code == code)
        #expect(chair.core.pendingOrder == nil)
        #expect(orderEvents(chair).isEmpty)
    }

    @Test func aDrugCodeThatIsALibraryEntryBindsThatEntry() {
        var chair = ChairHarness()
        chair.command(.stageOrder(Self.order(code: "ketamine-chronic-pain")))
        #expect(chair.core.pendingOrder?.profileIDs == ["ketamine-chronic-pain"])
    }

    @Test func theNurseAcceptsItAndThePumpRunsAtTheOrderedRate() {
        var chair = Self.takenIn()
        chair.command(.stageOrder(Self.order()), by: "uid:990")
        let result = chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42")), by: "rn-ada")
        #expect(result?.isSuccess == true, "\(String(describing: result?.error))")
        #expect(chair.core.state == .programmed)
        let program = chair.core.session?.program
        #expect(program?.concentration.value == 10)
        // 0.75 mg/kg/h × 70 kg ÷ 10 mg/mL = 5.25 mL/h; 3.5 mL × 10 mg/mL = 35 mg to be infused.
        #expect(abs((program?.flow.value ?? 0) - 5.25) < 1e-9)
        #expect(abs((program?.targetDose?.value ?? 0) - 35) < 1e-9)
        #expect(chair.core.pendingOrder == nil, "accepted: no longer pending")
        #expect(orderEvents(chair).map(\.kind) == [.staged, .accepted])
        #expect(orderEvents(chair).last?.order.acceptedBy == "rn-ada")
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 3)
        #expect(chair.pumpRunning && abs(chair.pumpRate - 5.25) < 1e-9)
        // The order system resends the accepted order: one order, nothing staged again.
        #expect(chair.command(.stageOrder(Self.order()))?.isSuccess == true)
        #expect(chair.core.pendingOrder == nil && orderEvents(chair).count == 2)
    }

    @Test func anotherPatientAtTheChairIsRefusedAndTheOrderStaysPending() {
        var chair = Self.takenIn(patient: "MRN-0099")
        chair.command(.stageOrder(Self.order()))
        let result = chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42")))
        #expect(result?.error?.code == "order-patient-mismatch")
        #expect(chair.core.state == .intake && chair.core.session?.program == nil)
        #expect(chair.core.pendingOrder?.request.orderID == "PLACER-42")
    }

    @Test func anOrderForAnotherEntryOrAnUnknownIdIsRefused() {
        var chair = Self.takenIn(profileID: "ketamine-psychiatric")
        chair.command(.stageOrder(Self.order(code: "ketamine-chronic-pain")))
        #expect(chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42")))?.error?.code == "order-drug-mismatch")
        #expect(chair.command(.programOrder(OrderProgramRequest(orderID: "NOPE")))?.error?.code == "unknown-order")
    }

    @Test func theOrderIsCheckedAgainstTheLibraryLikeAnyProgram() {
        var chair = Self.takenIn()
        // 1.0 mg/kg/h is past the psychiatric entry's soft maximum (0.75): it needs the nurse's confirmation.
        chair.command(.stageOrder(Self.order(rate: DoseRate(1.0, .milligramsPerKilogramPerHour))))
        let unconfirmed = chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42")))
        #expect(unconfirmed?.error?.code == "soft-limit-needs-override")
        #expect(chair.core.pendingOrder != nil)
        let confirmed = chair.command(
            .programOrder(OrderProgramRequest(orderID: "PLACER-42", override: LimitOverride(reason: "per prescriber"))))
        #expect(confirmed?.isSuccess == true)
    }

    @Test func anOrderWithoutAVolumeNeedsTheSyringeVolume() {
        var chair = Self.takenIn()
        chair.command(.stageOrder(Self.order(volume: nil)))
        #expect(chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42")))?.error?.code == "invalid-argument")
        let result = chair.command(.programOrder(OrderProgramRequest(orderID: "PLACER-42", syringeVolume: Millilitres(50))))
        #expect(result?.isSuccess == true)
        #expect(chair.core.session?.program?.targetDose == nil, "runs until stopped")
    }

    @Test func aPendingOrderSurvivesARestartThroughTheCheckpoint() throws {
        var before = ChairHarness()
        before.command(.stageOrder(Self.order()))
        let stored = try JSONEncoder().encode(before.core.checkpoint)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: stored)
        #expect(checkpoint.holdsAnything && !checkpoint.holdsSession)
        var after = ChairHarness()
        let outputs = after.restore(checkpoint, outage: .seconds(30), deliverToPump: true)
        #expect(after.core.pendingOrder == before.core.pendingOrder)
        #expect(after.core.state == .idle)
        #expect(!outputs.contains { if case .event(.alarm) = $0 { true } else { false } }, "no session, no restart alarm")
    }
}
