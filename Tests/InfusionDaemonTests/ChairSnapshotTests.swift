import InfusionCore
@testable import InfusionDaemon
import Testing
import WireProtocol

/// `ChairSnapshot` shows the core's outward status as the control loop hands it over (after each input that
/// decided something, from a `ChairCore` driven in simulated time) with the monitor's readings, mapped to the
/// protocol's `ChairStatus`.
@Suite struct ChairSnapshotTests {
    /// Monotonic zero is 2026-12-07T00:00:00.000Z for these tests.
    static let clock = WallClockAnchor(monotonic: .zero, epochMilliseconds: 1_796_601_600_000)

    private struct Chair {
        var core = ChairCore()
        var snapshot = ChairSnapshot(id: "1")
        var now = MonotonicInstant.seconds(100)

        /// As the control loop does: the core's status is handed over after an input that decided something.
        mutating func send(_ input: CoreInput) {
            if !core.handle(input, at: now).isEmpty { snapshot.update(core.outwardStatus) }
        }

        /// What `status` says of the chair at `later` (now by default).
        func status(at later: MonotonicInstant? = nil) -> ChairStatus {
            snapshot.status(at: later ?? now, freshness: VitalFreshness(CoreConfiguration()), clock: ChairSnapshotTests.clock)
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

        /// A reading as the bridge hands it on: into the snapshot, then to the core.
        mutating func vital(
            _ parameter: VitalParameter, _ value: Double?, flags: VitalSignFlags = [], measuredAt: MonotonicInstant? = nil
        ) {
            let reading = VitalSign(parameter: parameter, value: value, time: measuredAt ?? now, flags: flags)
            snapshot.record(reading)
            send(.vital(reading))
        }

        mutating func takeIn(weight: Double, unit: WeightUnit = .kg) {
            command(.intake(IntakeRequest(
                patientID: "P-1", weight: weight, weightUnit: unit, weightBasis: .measured, profileID: "ketamine-psychiatric",
                checklistSigned: true, checklistSignedBy: "RN Test")))
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
        let shown = chair.status()
        #expect(shown.state == .infusing)
        #expect(shown.profileID == "ketamine-psychiatric")
        #expect(shown.weightKilograms == 70)
        #expect(shown.programmedMilligrams == 35)
        #expect(shown.flowMillilitresPerHour == 5.25)
        #expect(shown.doseRate == WireDoseRate(value: 0.75, unit: .milligramsPerKilogramPerHour))
        #expect(shown.predictedConcentrationLimits?.softMaximum == 300)
        #expect(shown.bloodPressure?.systolic == 122)

        // 10 minutes on: 30 of the 40 minutes are left, and the cuff reading is 10 minutes old.
        let later = chair.now + .seconds(600)
        let observed = chair.status(at: later)
        #expect(observed.time == Self.clock.timestamp(later))
        #expect(abs((observed.secondsLeft ?? 0) - 1_800) < 1)
        #expect(observed.bloodPressureAgeSeconds == 600)
        #expect(observed.audioPauseSecondsLeft == nil)
    }

    @Test func followsAnAlarmThroughAudioPauseAcknowledgementAndClearing() {
        var chair = Chair()
        chair.infusing()
        chair.now = chair.now + .seconds(5)
        chair.vital(.nibpSystolic, 165)
        #expect(chair.status().activeAlarms.map(\.condition) == [.systolicHigh])
        #expect(chair.status().activeAlarms.first?.priority == .medium)
        #expect(chair.status().alarms == ["systolicHigh": .medium])

        chair.command(.silence)
        #expect(chair.status().activeAlarms.first?.isAudioPaused == true)
        #expect(chair.status(at: chair.now + .seconds(20)).audioPauseSecondsLeft == 100)

        chair.now = chair.now + .seconds(1)
        chair.vital(.spo2, 85)
        chair.now = chair.now + .seconds(25)
        chair.vital(.spo2, 85)
        chair.pumpReadBack(running: false)
        let newcomer = chair.status().activeAlarms.first { $0.condition == .spo2Low }
        #expect(newcomer?.priority == .high)
        #expect(newcomer?.isAudioPaused == false, "an alarm raised during the pause still sounds")
        #expect(chair.status().activeAlarms.map(\.priority) == [.high, .medium], "highest priority first")

        chair.command(.acknowledge(.systolicHigh))
        let acknowledged = chair.status().activeAlarms.first { $0.condition == .systolicHigh }
        #expect(acknowledged?.isAcknowledged == true)

        chair.vital(.nibpSystolic, 130)
        #expect(!chair.status().activeAlarms.contains { $0.condition == .systolicHigh }, "acknowledged, then recovered")
        #expect(chair.status().alarms["systolicHigh"] == nil)
    }

    @Test func showsEveryVitalWithItsSourceFlagsAndAgeAndMarksTheStaleOnes() throws {
        var chair = Chair()
        chair.infusing()
        chair.vital(.ecgHeartRate, 140)
        chair.vital(.pulseRate, 95)
        chair.vital(.perfusionIndex, nil, flags: [.sensorOff, .invalid])
        let freshness = VitalFreshness(CoreConfiguration())
        let observed = chair.snapshot.status(at: chair.now + .seconds(31), freshness: freshness, clock: Self.clock)
        let byParameter = Dictionary(uniqueKeysWithValues: observed.vitals.map { ($0.parameter, $0) })
        #expect(observed.vitals.map(\.parameter) == ["spo2", "pulseRate", "perfusionIndex", "ecgHeartRate", "nibpSystolic", "nibpDiastolic"])

        let ecg = try #require(byParameter["ecgHeartRate"])
        #expect(ecg.source == "ecg" && ecg.value == 140 && ecg.unit == "/min" && ecg.trustworthy)
        #expect(ecg.ageSeconds == 31 && ecg.maximumAgeSeconds == 30 && ecg.stale == true, "30 s is the stale-vitals age")
        #expect(byParameter["pulseRate"]?.source == "pleth")
        let perfusion = try #require(byParameter["perfusionIndex"])
        #expect(perfusion.value == nil && !perfusion.trustworthy && perfusion.flags == ["invalid", "sensorOff"])
        // A cuff pressure is stale only once overdue: 1.5 cycles of 5 min.
        let cuff = try #require(byParameter["nibpSystolic"])
        #expect(cuff.source == "cuff" && cuff.unit == "mm[Hg]" && cuff.maximumAgeSeconds == 450 && cuff.stale == false)

        let fresh = chair.snapshot.status(at: chair.now + .seconds(2), freshness: freshness, clock: Self.clock)
        #expect(fresh.vitals.allSatisfy { $0.stale == false })
    }

    @Test func intakeForgetsThePreviousPatientsReadingsAndIgnoresOnesMeasuredBeforeIt() {
        var chair = Chair()
        chair.send(.link(.monitor, isUp: true))
        chair.takeIn(weight: 70)
        chair.vital(.spo2, 97)
        chair.vital(.nibpSystolic, 150)
        chair.now = chair.now + .seconds(60)
        // A new intake over one not yet programmed: a new patient, the same state.
        chair.takeIn(weight: 154, unit: .lb)
        #expect(chair.snapshot.vitals.isEmpty)
        #expect(chair.status().weightUnit == .lb && chair.status().enteredWeight == 154)
        #expect(abs((chair.status().weightKilograms ?? 0) - 69.853) < 0.001)
        // A cuff pressure the monitor dates before intake arrives late: still the previous patient's.
        chair.vital(.nibpSystolic, 151, measuredAt: MonotonicInstant(nanoseconds: chair.now.nanoseconds - 30_000_000_000))
        #expect(chair.snapshot.vitals.isEmpty)
        chair.vital(.spo2, 99)
        #expect(chair.snapshot.vitals.map(\.value) == [99])
    }

    @Test func asksForTheConfirmingCuffReadingUntilItComes() {
        var configuration = CoreConfiguration()
        configuration.interlock.confirmBloodPressureBeforePause = true
        var chair = Chair()
        chair.core = ChairCore(configuration: configuration)
        chair.infusing()
        #expect(chair.status().confirmingCuffReadingRequested == nil)
        chair.now = chair.now + .seconds(5)
        chair.vital(.nibpSystolic, 190)
        #expect(chair.status().state == .infusing)
        #expect(chair.status().confirmingCuffReadingRequested?.causes == [.systolicHigh])
        #expect(chair.status().confirmingCuffReadingRequested?.since == Self.clock.timestamp(chair.now))
        // The confirming reading is the next one: still high, so the pump is paused and nothing is awaited.
        chair.now = chair.now + .seconds(60)
        chair.vital(.nibpSystolic, 192)
        #expect(chair.status().state == .paused)
        #expect(chair.status().confirmingCuffReadingRequested == nil)
    }
}
