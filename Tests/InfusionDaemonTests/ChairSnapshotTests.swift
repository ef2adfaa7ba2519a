import InfusionCore
@testable import InfusionDaemon
import Testing

/// `ChairSnapshot` folds the core's real events (from a `ChairCore` driven in simulated time) into
/// what `status` shows of a chair.
@Suite struct ChairSnapshotTests {
    private struct Chair {
        var core = ChairCore()
        var snapshot = ChairSnapshot(id: "1")
        var now = MonotonicInstant.seconds(100)

        mutating func send(_ input: CoreInput) {
            for case .event(let event) in core.handle(input, at: now) { snapshot.apply(event) }
        }

        mutating func command(_ action: OperatorAction) {
            send(.command(OperatorCommand(id: "c", operatorID: "test", action: action)))
        }

        /// The pump reads back what it was told: running at the programmed 5.25 mL/h, or stopped (with
        /// the BD 60 mL syringe's diameter, as drivers report a still pump's).
        mutating func pumpReadBack(running: Bool) {
            send(.pump(PumpObservation(
                state: running ? .infusing : .paused, rateMillilitresPerHour: 5.25, infusedMillilitres: 0, alarms: [],
                time: now, syringeDiameterMillimetres: running ? nil : 26.59)))
        }

        mutating func vital(_ parameter: VitalParameter, _ value: Double) {
            send(.vital(VitalSign(parameter: parameter, value: value, time: now)))
        }

        /// Links up, intake, vitals and a cuff baseline after it, 0.5 mg/kg over 40 min for 70 kg at 10 mg/mL, started.
        mutating func infusing() {
            send(.link(.pump, isUp: true))
            send(.link(.monitor, isUp: true))
            command(.intake(IntakeRequest(
                patientID: "P-1", weight: 70, weightUnit: .kg, weightBasis: .measured, profileID: "ketamine-psychiatric",
                checklistSigned: true, checklistSignedBy: "RN Test")))
            vital(.spo2, 98)
            vital(.nibpSystolic, 122)
            vital(.nibpDiastolic, 78)
            send(.tick)
            command(.program(ProgramRequest(
                concentration: MilligramsPerMillilitre(10), syringeVolume: Millilitres(50),
                totalDose: MilligramsPerKilogram(0.5), durationMinutes: 40)))
            pumpReadBack(running: false)
            command(.start)
            pumpReadBack(running: true)
            send(.tick)
        }
    }

    @Test func showsTheSessionTheDeliveryAndTheTimeLeft() {
        var chair = Chair()
        chair.infusing()
        let snapshot = chair.snapshot
        #expect(snapshot.state == .infusing)
        #expect(snapshot.profileID == "ketamine-psychiatric")
        #expect(snapshot.weightKilograms == 70)
        #expect(snapshot.programmedMilligrams == 35)
        #expect(snapshot.flowMillilitresPerHour == 5.25)
        #expect(snapshot.doseRate == DoseRate(0.75, .milligramsPerKilogramPerHour))
        #expect(snapshot.predictedConcentrationLimits?.softMaximum == 300)
        #expect(snapshot.bloodPressure?.systolic == 122, "the delivery report at the start carries the baseline")

        // 10 minutes on: 30 of the 40 minutes are left, and the cuff reading is 10 minutes old.
        let later = chair.now + .seconds(600)
        let observed = snapshot.observed(at: later)
        #expect(observed.time == later)
        #expect(abs((observed.secondsLeft ?? 0) - 1_800) < 1)
        #expect(observed.bloodPressureAgeSeconds == 600)
        #expect(observed.audioPauseSecondsLeft == nil)
    }

    @Test func followsAnAlarmThroughAudioPauseAcknowledgementAndClearing() {
        var chair = Chair()
        chair.infusing()
        chair.now = chair.now + .seconds(5)
        chair.vital(.nibpSystolic, 165)
        #expect(chair.snapshot.activeAlarms.map(\.condition) == [.systolicHigh])
        #expect(chair.snapshot.activeAlarms.first?.priority == .medium)
        #expect(chair.snapshot.alarms == ["systolicHigh": .medium])

        chair.command(.silence)
        #expect(chair.snapshot.activeAlarms.first?.isAudioPaused == true)
        #expect(chair.snapshot.observed(at: chair.now + .seconds(20)).audioPauseSecondsLeft == 100)

        chair.now = chair.now + .seconds(1)
        chair.vital(.spo2, 85)
        chair.now = chair.now + .seconds(25)
        chair.vital(.spo2, 85)
        chair.pumpReadBack(running: false)
        let newcomer = chair.snapshot.activeAlarms.first { $0.condition == .spo2Low }
        #expect(newcomer?.priority == .high)
        #expect(newcomer?.isAudioPaused == false, "an alarm raised during the pause still sounds")
        #expect(chair.snapshot.activeAlarms.map(\.priority) == [.high, .medium], "highest priority first")

        chair.command(.acknowledge(.systolicHigh))
        let acknowledged = chair.snapshot.activeAlarms.first { $0.condition == .systolicHigh }
        #expect(acknowledged?.isAcknowledged == true)

        chair.vital(.nibpSystolic, 130)
        #expect(!chair.snapshot.activeAlarms.contains { $0.condition == .systolicHigh }, "acknowledged, then recovered")
        #expect(chair.snapshot.alarms["systolicHigh"] == nil)
    }
}
