import Foundation
import InfusionCore
import Testing

/// Issue 17 item 5: intake names the weight's unit, the core doses by kilograms, and the built-in entries
/// carry absolute ceilings that catch a weight in pounds read as kilograms.
@Suite struct WeightEntryTests {
    @Test func aWeightInPoundsIsDosedInKilogramsAndShownBothWays() throws {
        var chair = ChairHarness()
        chair.prepare(weight: 154.3, weightUnit: .lb)
        // 154.3 lb × 0.45359237 = 69.989 kg.
        let kilograms = 154.3 * 0.453_592_37
        #expect(abs((chair.core.session?.weight.value ?? 0) - kilograms) < 1e-9)
        let outline = try #require(chair.sessionTransitions(to: .programmed).last?.session)
        #expect(outline.enteredWeight == 154.3 && outline.weightUnit == .lb)
        #expect(abs(outline.weight.value - kilograms) < 1e-9)
        #expect(chair.command(.start)?.isSuccess == true)
        // 0.5 mg/kg over 40 min = 0.75 mg/kg/h × 69.989 kg ÷ 2 mg/mL = 26.246 mL/h, not 57.86.
        // (The first command clears the pump's volume counter; the first rate is the one to check.)
        let flow = try #require(chair.pumpCommands.lazy.compactMap { command -> MillilitresPerHour? in
            if case .setRate(let flow) = command { flow } else { nil }
        }.first)
        #expect(abs(flow.value - 0.75 * kilograms / 2) < 1e-9)
    }

    @Test func theSocketFormRequiresTheUnit() throws {
        let withUnit = #"{"patientID":"P","weight":154,"weightUnit":"lb","weightBasis":"measured","#
            + #""profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"dr-lee"}"#
        let intake = try JSONDecoder().decode(IntakeRequest.self, from: Data(withUnit.utf8))
        #expect(intake.enteredWeight == 154 && intake.weightUnit == .lb)
        let withoutUnit = withUnit.replacingOccurrences(of: #""weightUnit":"lb","#, with: "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntakeRequest.self, from: Data(withoutUnit.utf8)) }
        let unknownUnit = withUnit.replacingOccurrences(of: #""lb""#, with: #""stone""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntakeRequest.self, from: Data(unknownUnit.utf8)) }
        // Stored as entered, so a journal or checkpoint reads back the same request.
        #expect(try JSONDecoder().decode(IntakeRequest.self, from: JSONEncoder().encode(intake)) == intake)
    }

    /// A 60 kg patient's 132 lb typed as kilograms passes the weight bounds (40–150 kg) and every per-kg
    /// limit; the absolute rate ceiling (75 mg/h) asks for a confirmation the nurse cannot give honestly.
    @Test func poundsReadAsKilogramsMeetTheAbsoluteCeiling() throws {
        var chair = ChairHarness()
        chair.send(.link(.pump, isUp: true))
        #expect(chair.command(.intake(ChairHarness.intake(weight: 132)))?.isSuccess == true)
        let standard = ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)
        #expect(chair.command(.program(standard))?.error?.code == "soft-limit-needs-override")
        let event = try #require(chair.limitEvents.last)
        #expect(event.kind == .absoluteDoseRate && event.kind.unit == "mg/h")
        #expect(abs(event.requested - 99) < 1e-9 && event.limit == 75)
    }

    @Test func theSessionCeilingInMilligramsHoldsWhateverTheWeight() throws {
        // 1.0 mg/kg at 160 kg is within the per-kg hard cap (1.0) but 160 mg is past the 150 mg hard ceiling.
        var chair = ChairHarness()
        #expect(chair.command(.intake(ChairHarness.intake(weight: 160)))?.isSuccess == true)
        let large = ProgramRequest(
            concentration: .init(10), syringeVolume: .init(50), totalDose: .init(1.0), durationMinutes: 100,
            override: LimitOverride(reason: "protocol"))
        #expect(chair.command(.program(large))?.error?.code == "hard-limit")
        let event = try #require(chair.limitEvents.first { $0.outcome == .hardRefused })
        #expect(event.kind == .absoluteSessionDose && event.requested == 160 && event.limit == 150)
    }

    @Test func everyBuiltInEntryHasAbsoluteCeilings() {
        for profile in DrugProfile.builtIns {
            #expect(profile.absoluteRateLimits.softMaximum != nil && profile.absoluteRateLimits.hardMaximum != nil)
            #expect(profile.absoluteSessionDoseLimits.softMaximum != nil && profile.absoluteSessionDoseLimits.hardMaximum != nil)
            #expect(profile.inconsistencies.isEmpty)
        }
    }
}
