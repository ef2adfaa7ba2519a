import Foundation
import InfusionCore
import Testing

/// Issue 16 item 1 in the core: the syringe library, the diameter sent while the pump is still, the
/// read-back checked before drug flows, and rates outside the pump's range refused before sending.
@Suite struct SyringeTests {
    private static let standardProgram = ProgramRequest(
        concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)

    @Test func theBuiltInLibraryHoldsEachMakersSizesWithUniqueIDs() throws {
        let library = SyringeLibrary.builtIn
        #expect(library.inconsistencies.isEmpty)
        #expect(library.entries.count == 28, "seven sizes of four makers")
        #expect(library.syringe(id: "bd-20")?.innerDiameterMillimetres == 19.05)
        #expect(library.syringe(id: "terumo-60")?.innerDiameterMillimetres == 29.7)
        #expect(library.syringe(id: "monoject-12")?.innerDiameterMillimetres == 15.72)
        #expect(library.syringe(id: "normject-50")?.innerDiameterMillimetres == 29.2)
        #expect(library.defaultSyringe?.id == "bd-60")
    }

    @Test func aSiteLibraryReplacesTheBuiltInOneAndIsChecked() throws {
        let json = #"{"syringes":{"entries":[{"id":"site-30","maker":"Site","nominalMillilitres":30,"innerDiameterMillimetres":21.7}],"defaultID":"site-30"}}"#
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.syringes.entries.map(\.id) == ["site-30"])
        #expect(configuration.inconsistencies.isEmpty)
        let missingDefault = #"{"syringes":{"entries":[{"id":"a","maker":"M","nominalMillilitres":10,"innerDiameterMillimetres":0}]}}"#
        let broken = try JSONDecoder().decode(CoreConfiguration.self, from: Data(missingDefault.utf8))
        #expect(broken.inconsistencies.contains { $0.contains("bd-60") }, "the default is not in the list")
        #expect(broken.inconsistencies.contains { $0.contains("diameter") })
    }

    @Test func aProgramSetsItsSyringesDiameterWhileThePumpIsStill() {
        var chair = ChairHarness()
        var program = Self.standardProgram
        program.syringe = "bd-20"
        program.syringeVolume = .init(20)
        chair.prepare(program: program)
        #expect(chair.pumpCommands == [.setSyringe(diameterMillimetres: 19.05)])
        #expect(chair.core.session?.program?.syringe?.id == "bd-20")
        #expect(chair.command(.start)?.isSuccess == true)
        #expect(chair.pumpDiameter == 19.05)
    }

    @Test func anUnknownSyringeIsRefusedAndNothingIsSent() {
        var chair = ChairHarness()
        chair.prepare()
        let sent = chair.pumpCommands.count
        var program = Self.standardProgram
        program.syringe = "bd-70"
        #expect(chair.command(.program(program))?.error?.code == "unknown-syringe")
        #expect(chair.pumpCommands.count == sent)
        #expect(chair.core.session?.program?.syringe?.id == "bd-60", "the accepted program stands")
    }

    /// A diameter changed on the pump's keypad after the program: start is refused with a technical
    /// alarm; confirming the syringe sets it again, and the alarm clears with the matching read-back.
    @Test func aDiameterChangedBehindInfusiondsBackRefusesTheStart() {
        var chair = ChairHarness()
        chair.prepare()
        chair.pumpDiameter = 29.7
        // Past the confirmation time (3 s): a setting still landing would have read back by now.
        chair.run(seconds: 4)
        #expect(chair.command(.start)?.error?.code == "syringe-diameter-mismatch")
        #expect(chair.core.alarm(.pumpSyringeMismatch)?.priority == .medium)
        #expect(!chair.pumpCommands.contains(.start))
        let change = SyringeChangeRequest(drugName: "ketamine", concentration: .init(2), volume: .init(50), syringe: "bd-60")
        #expect(chair.command(.changeSyringe(change))?.isSuccess == true)
        #expect(chair.pumpDiameter == 26.59)
        #expect(chair.core.alarm(.pumpSyringeMismatch) == nil)
        #expect(chair.command(.start)?.isSuccess == true)
    }

    @Test func startWaitsForTheDiameterToBeReadBack() {
        var chair = ChairHarness()
        chair.pumpAnswers = false
        chair.prepare()
        #expect(chair.command(.start)?.error?.code == "syringe-not-confirmed")
        #expect(chair.core.alarm(.pumpSyringeMismatch) == nil, "not yet read back is not a mismatch")
    }

    @Test func ratesOutsideThePumpsRangeAreRefusedBeforeSending() {
        var chair = ChairHarness()
        // A pump that reports it can run 0.1–20 mL/h with this syringe; the program needs 26.25 mL/h.
        chair.pumpRateRange = 0.1...20
        chair.prepare()
        chair.run(seconds: 1)
        #expect(chair.command(.start)?.error?.code == "rate-out-of-pump-range")
        #expect(!chair.pumpCommands.contains(.start))
        // Within range it starts, and a titration past the range is refused without a rate command.
        chair.pumpRateRange = 0.1...30
        chair.run(seconds: 1)
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 1)
        let before = chair.pumpCommands.count
        let step = chair.command(.titrate(rate: DoseRate(0.875, .milligramsPerKilogramPerHour), override: LimitOverride(reason: "test")))
        #expect(step?.error?.code == "rate-out-of-pump-range", "30.6 mL/h")
        #expect(chair.pumpCommands.count == before)
    }

    /// Issue 16 item 5: 3 mL loaded at 26.25 mL/h lasts 6.9 min. Five minutes before empty the low
    /// near-empty alarm rises; at empty (the pump stops at the phase target the syringe bounds) the
    /// high empty alarm pauses the session, and status can show what is left all along.
    @Test func aSmallSyringeRaisesNearEmptyThenEmptyFromItsLoadedVolume() throws {
        var chair = ChairHarness()
        var program = Self.standardProgram
        program.syringeVolume = .init(3)
        chair.prepare(program: program)
        chair.command(.start)
        chair.run(seconds: 60)
        #expect(chair.core.alarm(.pumpNearEmpty) == nil, "6 min left")
        chair.run(seconds: 60)
        #expect(chair.core.alarm(.pumpNearEmpty)?.priority == .low, "under 5 min left")
        chair.run(seconds: 320)
        #expect(chair.core.alarm(.pumpSyringeEmpty)?.priority == .high)
        #expect(chair.core.state == .paused)
        #expect(!chair.pumpRunning)
        #expect(abs(chair.pumpVolume - 3) < 0.002, "the pump itself stopped at the syringe's contents: \(chair.pumpVolume)")
        let report = try #require(chair.log.compactMap { entry -> DeliveryReport? in
            if case .event(.delivery(let report)) = entry.output { report } else { nil }
        }.last)
        #expect((report.syringeRemainingMillilitres ?? 1) < 0.01)
    }
}
