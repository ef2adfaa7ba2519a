import InfusionCore
import Testing

/// Whole sessions in simulated time, as issue 5 checks them.
@Suite struct SessionScenarioTests {
    @Test func standardPsychiatricSessionDeliversThirtyFiveMilligrams() {
        var chair = ChairHarness()
        chair.prepare()
        #expect(chair.command(.start)?.isSuccess == true)
        // 0.5 mg/kg × 70 kg over 40 min = 52.5 mg/h = 26.25 mL/h at 2 mg/mL.
        // The program set the default syringe (BD 60 mL) while the pump was still; the phase's target
        // is the whole dose, 35 mg = 17.5 mL on the cleared counter, so the pump stops there by itself.
        #expect(chair.pumpCommands.prefix(5) == [
            .setSyringe(diameterMillimetres: 26.59), .clearVolume, .setTarget(infusedMillilitres: 17.5), .setRate(.init(26.25)), .start,
        ])
        chair.run(seconds: 41 * 60)
        #expect(chair.core.state == .complete)
        #expect(chair.sessionTransitions(to: .complete).first?.reason == "dose-reached")
        let delivered = chair.core.deliveredDose.value
        #expect(abs(delivered - 35) / 35 <= 0.001, "delivered \(delivered) mg")
        #expect(chair.pumpCommands.last == .stop)
        #expect(!chair.pumpRunning)
        // Completion at 40 min, to within one tick.
        let completedAt = chair.sessionTransitions(to: .complete).first?.time.seconds ?? 0
        let startedAt = chair.sessionTransitions(to: .infusing).first?.time.seconds ?? 0
        #expect(abs(completedAt - startedAt - 2_400) <= 1)
        #expect(chair.core.activeAlarms.isEmpty)
    }

    @Test func chronicPainSessionKeepsTheVeinOpenAtTheEnd() {
        var chair = ChairHarness()
        chair.prepare(
            profileID: "ketamine-chronic-pain",
            program: ProgramRequest(concentration: .init(1), syringeVolume: .init(50), totalDose: .init(0.2), durationMinutes: 20)
        )
        #expect(chair.command(.start)?.isSuccess == true)
        chair.run(seconds: 21 * 60)
        #expect(chair.core.state == .complete)
        // KVO is a phase of its own, started afresh (the pump may have stopped at the dose's target),
        // bounded by the syringe and the caps rather than by the dose already in.
        #expect(Array(chair.pumpCommands.suffix(2)) == [.setRate(.init(0.1)), .start])
        guard case .setTarget(let target) = chair.pumpCommands.dropLast(2).last else {
            Issue.record("KVO sets its own target first")
            return
        }
        #expect(target > chair.pumpVolume + 1)
        #expect(chair.pumpRunning)
        // Recovery stops the KVO flow.
        #expect(chair.command(.recovery(aldrete: nil))?.isSuccess == true)
        #expect(chair.pumpCommands.last == .stop)
        #expect(chair.core.state == .recovery)
    }

    @Test func cumulativeDoseCarriesAcrossPauseAndSyringeChange() {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 20 * 60)
        #expect(chair.command(.pause(reason: "syringe"))?.isSuccess == true)
        let wrongConcentration = SyringeChangeRequest(drugName: "ketamine", concentration: .init(10), volume: .init(20))
        #expect(chair.command(.changeSyringe(wrongConcentration))?.error?.code == "syringe-mismatch")
        let wrongDrug = SyringeChangeRequest(drugName: "midazolam", concentration: .init(2), volume: .init(20))
        #expect(chair.command(.changeSyringe(wrongDrug))?.error?.code == "syringe-mismatch")
        #expect(
            chair.command(.changeSyringe(SyringeChangeRequest(drugName: "Ketamine", concentration: .init(2), volume: .init(20))))?
                .isSuccess == true
        )
        chair.pumpVolume = 0  // the new syringe's counter starts again
        chair.run(seconds: 120)
        #expect(abs(chair.core.deliveredDose.value - 17.5) < 0.05)
        #expect(chair.command(.resume(override: nil))?.isSuccess == true)
        chair.run(seconds: 21 * 60)
        #expect(chair.core.state == .complete)
        #expect(abs(chair.core.deliveredDose.value - 35) / 35 <= 0.001)
        #expect(chair.core.alarm(.volumeDivergence) == nil)
    }

    @Test func recoveryBecomesDischargeReadyOnlyWhenEveryCriterionHolds() {
        var configuration = CoreConfiguration()
        configuration.recovery.minimumObservationSeconds = 600
        var chair = ChairHarness(configuration: configuration)
        chair.nibpIntervalSeconds = 120
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.1), durationMinutes: 10))
        chair.command(.start)
        chair.run(seconds: 11 * 60)
        #expect(chair.core.state == .complete)
        #expect(chair.command(.discharge)?.error?.code == "wrong-state")
        let good = AldreteScore(activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2)
        #expect(chair.command(.recovery(aldrete: good))?.isSuccess == true)
        // The psychiatric entry's discharge scores, and its CADSS-6 due 10 min after the end.
        let awake = ObservationRequest(scores: ["moaas": 5, "nausea": 0, "cadss6": 0])
        #expect(chair.command(.observe(awake))?.isSuccess == true)
        chair.run(seconds: 5 * 60)
        #expect(chair.core.state == .recovery, "observation time not yet over")
        chair.run(seconds: 6 * 60)
        #expect(chair.core.state == .dischargeReady)
        // A blood pressure 30 % above baseline withdraws readiness.
        chair.systolic = 160
        chair.measureBloodPressure()
        chair.run(seconds: 1)
        #expect(chair.core.state == .recovery)
        chair.systolic = 122
        chair.measureBloodPressure()
        chair.run(seconds: 1)
        chair.measureBloodPressure()
        chair.run(seconds: 1)
        // 160 mmHg raised a latched medium alarm: not ready until someone acknowledges it.
        #expect(chair.core.alarm(.systolicHigh)?.isLatched == true)
        #expect(chair.core.state == .recovery)
        chair.command(.acknowledge(.systolicHigh))
        #expect(chair.core.state == .dischargeReady)
        #expect(chair.command(.discharge, by: "dr-lee")?.isSuccess == true)
        #expect(chair.core.state == .discharged)
        #expect(chair.core.session?.dischargedBy == "dr-lee")
    }

    @Test func intakeAndStartGatesRefuseWithStableCodes() {
        var chair = ChairHarness()
        let unknown = IntakeRequest(
            patientID: "MRN-1", weight: 70, weightUnit: .kg, weightBasis: .measured, profileID: "propofol",
            checklistSigned: true, checklistSignedBy: "dr-lee"
        )
        #expect(chair.command(.intake(unknown))?.error?.code == "no-library-entry")
        var unsigned = unknown
        unsigned.profileID = "ketamine-psychiatric"
        unsigned.checklistSigned = false
        #expect(chair.command(.intake(unsigned))?.error?.code == "checklist-unsigned")
        var heavy = unsigned
        heavy.checklistSigned = true
        heavy.enteredWeight = 400
        #expect(chair.command(.intake(heavy))?.error?.code == "hard-limit")
        #expect(chair.command(.start)?.error?.code == "wrong-state")
        #expect(chair.core.state == .idle)

        var noBaseline = ChairHarness()
        noBaseline.send(.link(.pump, isUp: true))
        noBaseline.send(.link(.monitor, isUp: true))
        noBaseline.run(seconds: 2)
        #expect(noBaseline.command(.intake(heavy.with(weight: 70)))?.isSuccess == true)
        noBaseline.run(seconds: 2)
        let program = ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)
        #expect(noBaseline.command(.program(program))?.isSuccess == true)
        #expect(noBaseline.command(.start)?.error?.code == "no-baseline-bp")
        noBaseline.send(.link(.pump, isUp: false))
        #expect(noBaseline.command(.start)?.error?.code == "pump-link-down")
        var badConcentration = program
        badConcentration.concentration = .init(100)
        #expect(noBaseline.command(.program(badConcentration))?.error?.code == "concentration-not-in-library")
        // Only the accepted program's syringe diameter reached the pump; nothing refused did.
        #expect(noBaseline.pumpCommands == [.setSyringe(diameterMillimetres: 26.59)])
    }
}

extension IntakeRequest {
    func with(weight: Double) -> IntakeRequest {
        var copy = self
        copy.enteredWeight = weight
        return copy
    }
}
