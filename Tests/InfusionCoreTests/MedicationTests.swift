import Foundation
import InfusionCore
import Testing

/// As-needed medications given at the chair (issue 18 item 5): checked against the clinic's list and its usual
/// dose ranges, kept with the session and its checkpoint, published as an event.
@Suite struct MedicationTests {
    private func programmedChair(configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        return chair
    }

    private func ondansetron(_ dose: Double, override: LimitOverride? = nil) -> OperatorAction {
        .medicate(MedicationRequest(drug: "ondansetron", dose: dose, unit: .mg, route: .iv, reason: "nausea", override: override))
    }

    private func medicationEvents(_ chair: ChairHarness) -> [AdministeredMedication] {
        chair.log.compactMap { if case .event(.medication(let given)) = $0.output { given } else { nil } }
    }

    @Test func theBuiltInListHasOneDrugPerReasonAtItsLabelDose() {
        let ranges = Dictionary(uniqueKeysWithValues: AsNeededMedication.builtIns.map { ($0.id, $0.usualMinimum...$0.usualMaximum) })
        #expect(ranges == ["ondansetron": 4...4, "labetalol": 20...80, "midazolam": 1...2.5])
        #expect(CoreConfiguration().asNeededMedications == AsNeededMedication.builtIns)
        #expect(CoreConfiguration().inconsistencies.isEmpty)
    }

    @Test func aUsualDoseIsRecordedWithTheSessionAndPublished() throws {
        var chair = programmedChair()
        let given = chair.now
        let result = chair.command(ondansetron(4), by: "rn-ada")
        #expect(result?.isSuccess == true)
        let recorded = try #require(chair.core.medications.first)
        #expect(chair.core.medications.count == 1)
        #expect(recorded.drug == "ondansetron" && recorded.name == "Ondansetron" && recorded.dose == 4)
        #expect(recorded.route == .iv && recorded.reason == "nausea" && recorded.operatorID == "rn-ada")
        #expect(recorded.time == given && recorded.overrideReason == nil)
        #expect(medicationEvents(chair) == [recorded])
        #expect(result?.after?.medications == [recorded], "the reply shows the chair with the medication")
    }

    @Test func anUnknownDrugIsRefusedAndNothingIsRecorded() {
        var chair = programmedChair()
        let result = chair.command(.medicate(MedicationRequest(drug: "haloperidol", dose: 5, unit: .mg, route: .iv, reason: "agitation")))
        #expect(result?.error?.code == "unknown-medication")
        #expect(result?.error?.message.contains("ondansetron") == true, "the refusal lists the drugs the clinic has")
        #expect(chair.core.medications.isEmpty && medicationEvents(chair).isEmpty)
    }

    @Test func aDoseOutsideTheUsualRangeNeedsAnOverrideWithAReason() {
        var chair = programmedChair()
        #expect(chair.command(ondansetron(8))?.error?.code == "dose-outside-usual-range")
        #expect(chair.command(ondansetron(8, override: LimitOverride(reason: "  ")))?.error?.code == "override-reason-missing")
        #expect(chair.core.medications.isEmpty && medicationEvents(chair).isEmpty)
        #expect(chair.command(ondansetron(8, override: LimitOverride(reason: "vomiting persists; per Dr Lee")))?.isSuccess == true)
        #expect(chair.core.medications.map(\.overrideReason) == ["vomiting persists; per Dr Lee"])
        #expect(chair.core.medications.first.map { $0.usualMinimum...$0.usualMaximum } == 4...4)
    }

    @Test func aWrongUnitRouteOrMissingReasonIsRefused() {
        var chair = programmedChair()
        let wrongUnit = MedicationRequest(drug: "ondansetron", dose: 4000, unit: .mcg, route: .iv, reason: "nausea")
        #expect(chair.command(.medicate(wrongUnit))?.error?.code == "medication-unit-mismatch")
        let wrongRoute = MedicationRequest(drug: "labetalol", dose: 20, unit: .mg, route: .po, reason: "BP 172/98")
        #expect(chair.command(.medicate(wrongRoute))?.error?.code == "medication-route-not-listed")
        let noReason = MedicationRequest(drug: "labetalol", dose: 20, unit: .mg, route: .iv, reason: " ")
        #expect(chair.command(.medicate(noReason))?.error?.code == "invalid-argument")
        let negative = MedicationRequest(drug: "labetalol", dose: -20, unit: .mg, route: .iv, reason: "BP 172/98")
        #expect(chair.command(.medicate(negative))?.error?.code == "invalid-argument")
        #expect(chair.core.medications.isEmpty)
    }

    @Test func withoutAPatientMedicateIsRefused() {
        var chair = ChairHarness()
        #expect(chair.command(ondansetron(4))?.error?.code == "wrong-state")
    }

    @Test func aConfiguredListReplacesTheBuiltIns() throws {
        let json = #"{"asNeededMedications":[{"id":"promethazine","name":"Promethazine","unit":"mg","routes":["IM"],"usualMinimum":12.5,"usualMaximum":25,"indication":"nausea"}]}"#
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.asNeededMedications.map(\.id) == ["promethazine"])
        var chair = programmedChair(configuration: configuration)
        #expect(chair.command(ondansetron(4))?.error?.code == "unknown-medication", "a drug the clinic does not list")
        let given = MedicationRequest(drug: "promethazine", dose: 12.5, unit: .mg, route: .im, reason: "nausea")
        #expect(chair.command(.medicate(given))?.isSuccess == true)
    }

    @Test func medicationsSurviveTheCheckpointAndAMovedClock() throws {
        var chair = programmedChair()
        chair.command(ondansetron(4))
        chair.run(seconds: 10)
        chair.command(.medicate(MedicationRequest(drug: "midazolam", dose: 1, unit: .mg, route: .iv, reason: "anxious")))
        let stored = try JSONEncoder().encode(chair.core.checkpoint)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: stored)
        #expect(checkpoint.session?.medications == chair.core.medications)
        let shifted = checkpoint.shifted(by: .seconds(-60))
        #expect(shifted.session?.medications.map(\.time) == chair.core.medications.map { $0.time + .seconds(-60) })

        var old = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
        var session = try #require(old["session"] as? [String: Any])
        session.removeValue(forKey: "medications")
        old["session"] = session
        let earlier = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(earlier.session?.medications == [], "a checkpoint from before medications reads as none given")
    }
}
