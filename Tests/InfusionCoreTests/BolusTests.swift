import Foundation
import InfusionCore
import Testing

/// A bolus on top of a running infusion: only where the entry allows one (pain ≤ 0.35 mg/kg hard,
/// psychiatric none, docs/CLINICAL-BASIS.md rows 4 and 8), pushed over at least 60 s (row 12), held against the
/// session dose and the predicted-concentration ceiling, and never continued after a pause.
@Suite struct BolusTests {
    private func bolus(_ dose: Double, seconds: Double? = nil, reason: String? = nil) -> OperatorAction {
        .bolus(BolusRequest(dose: .init(dose), seconds: seconds, override: reason.map(LimitOverride.init(reason:))))
    }

    private func bolusEvents(_ chair: ChairHarness) -> [BolusEvent] {
        chair.log.compactMap { if case .event(.bolus(let event)) = $0.output { event } else { nil } }
    }

    @Test func theBolusRunsOnTopOfTheInfusionThenThePumpReturnsToTheProgram() throws {
        var chair = ChairHarness.infusingPainChair()
        let before = chair.core.deliveredDose
        // 0.05 mg/kg × 70 kg = 3.5 mg = 1.75 mL in 60 s = 105 mL/h on top of 17.5 mL/h.
        #expect(chair.command(bolus(0.05))?.isSuccess == true)
        #expect(chair.pumpCommands.last == .setRate(.init(122.5)))
        #expect(chair.core.deliveringFlow == .init(122.5))
        let started = try #require(bolusEvents(chair).last)
        #expect(started.kind == .started && started.dose == .init(3.5) && started.seconds == 60)

        chair.run(seconds: 59)
        #expect(chair.core.deliveringFlow == .init(122.5), "still pushing")
        chair.run(seconds: 1)
        #expect(chair.pumpCommands.last == .setRate(.init(17.5)))
        #expect(chair.core.deliveringFlow == .init(17.5))
        #expect(chair.pumpRate == 17.5, "the pump itself is back at the program's rate")
        #expect(bolusEvents(chair).map(\.kind) == [.started, .finished])
        // 3.5 mg of bolus plus 60 s of 0.5 mg/kg/h background (0.583 mg).
        let given = (chair.core.deliveredDose - before).value
        #expect(abs(given - (3.5 + 35.0 / 60)) < 0.01, "\(given) mg")
        #expect(chair.core.session?.bolus == nil)
    }

    @Test func thePsychiatricEntryAllowsNoBolus() {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 10)
        let commands = chair.pumpCommands.count
        #expect(chair.command(bolus(0.05))?.error?.code == "bolus-not-allowed")
        #expect(chair.pumpCommands.count == commands)
    }

    @Test func theBolusHardLimitNeverYields() throws {
        var chair = ChairHarness.infusingPainChair()
        let commands = chair.pumpCommands.count
        #expect(chair.command(bolus(0.4, seconds: 600, reason: "prescriber asked"))?.error?.code == "hard-limit")
        let refused = try #require(chair.limitEvents.first { $0.kind == .bolus })
        #expect(refused.outcome == .hardRefused && refused.requested == 0.4 && refused.limit == 0.35)
        #expect(refused.kind.unit == "mg/kg")
        #expect(chair.pumpCommands.count == commands && chair.core.deliveringFlow == .init(17.5))
    }

    @Test func thePredictedConcentrationCeilingHoldsForBolusesToo() throws {
        var chair = ChairHarness.infusingPainChair()
        // 0.3 mg/kg (21 mg) in a minute: within the bolus limit, but far past 500 ng/mL predicted.
        #expect(chair.command(bolus(0.3, reason: "breakthrough pain"))?.error?.code == "hard-limit")
        let ceiling = try #require(chair.limitEvents.first { $0.kind == .predictedConcentration })
        #expect(ceiling.outcome == .hardRefused && ceiling.requested > 500)
        // Pushed over 20 minutes the same dose stays under the ceiling.
        #expect(chair.command(bolus(0.3, seconds: 1_200, reason: "breakthrough pain"))?.isSuccess == true)
    }

    @Test func aPushFasterThanTheMinimumIsRefusedAndTheMinimumIsConfigurable() {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(bolus(0.05, seconds: 30))?.error?.code == "bolus-too-fast")
        var configuration = CoreConfiguration()
        configuration.minimumBolusSeconds = 20
        var relaxed = ChairHarness.infusingPainChair(configuration: configuration)
        #expect(relaxed.command(bolus(0.05, seconds: 30))?.isSuccess == true)
    }

    @Test func whileABolusRunsNeitherARateChangeNorASecondBolusIsTaken() {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(bolus(0.05, seconds: 120))?.isSuccess == true)
        #expect(chair.command(.titrate(rate: DoseRate(0.4, .milligramsPerKilogramPerHour), override: nil))?.error?.code
            == "bolus-running")
        #expect(chair.command(bolus(0.05))?.error?.code == "bolus-running")
        chair.run(seconds: 120)
        #expect(chair.command(.titrate(rate: DoseRate(0.4, .milligramsPerKilogramPerHour), override: nil))?.isSuccess == true)
    }

    @Test func aPauseUnderTheBolusEndsItAndResumeRunsAtTheProgramsRate() throws {
        var chair = ChairHarness.infusingPainChair()
        #expect(chair.command(bolus(0.05, seconds: 120))?.isSuccess == true)
        chair.run(seconds: 10)
        #expect(chair.command(.pause(reason: "patient asked"))?.isSuccess == true)
        let cancelled = try #require(bolusEvents(chair).last)
        #expect(cancelled.kind == .cancelled && cancelled.reason == "paused")
        #expect(chair.core.session?.bolus == nil)

        #expect(chair.command(.resume(override: nil))?.isSuccess == true)
        #expect(chair.pumpCommands.suffix(2) == [.setRate(.init(17.5)), .start])
        chair.run(seconds: 200)
        #expect(chair.core.deliveringFlow == .init(17.5))
        #expect(bolusEvents(chair).map(\.kind) == [.started, .cancelled], "the rest of the bolus is never given")
    }

    @Test func aRestartUnderTheBolusPausesAndForgetsIt() throws {
        var before = ChairHarness.infusingPainChair()
        #expect(before.command(bolus(0.05, seconds: 120))?.isSuccess == true)
        before.run(seconds: 10)
        let stored = try JSONEncoder().encode(before.core.checkpoint)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: stored)
        #expect(checkpoint.session?.bolus != nil, "the checkpoint knows a bolus was running")

        var after = ChairHarness()
        after.now = before.now + .seconds(5)
        _ = after.restore(checkpoint, outage: .seconds(5), deliverToPump: true)
        #expect(after.core.state == .paused && after.core.session?.bolus == nil)
        #expect(bolusEvents(after).map(\.kind) == [.cancelled])
        #expect(after.pumpCommands.contains(.pause))
    }
}
