import ClinicalExports
import InfusionCore

/// A representative session: titration with a soft override and a hard refusal, a physiological
/// and a technical alarm, vitals (one with no value), a cuff reading, a crash recovery and a
/// discharge. The patient reference, a serial and free text hold every HL7 delimiter, and reasons
/// CSV's comma and quote, on purpose.
enum ExportFixtures {
    /// 2026-03-14T09:00:00.000Z.
    static let start: Int64 = 1_773_478_800_000
    static let clinician = OperatorIdentity(uid: 1000, role: "clinician")

    static func at(seconds: Int64) -> UTCInstant { UTCInstant(millisecondsSinceEpoch: start + seconds * 1000) }

    static let pump = SessionDevice(vendor: "New Era", model: "NE-1000", serial: "A1|B^2")
    static let monitor = SessionDevice(
        vendor: "Masimo", model: "Radical-7", serial: "RX7-001", eui64: "0123456789ABCDEF")

    static var session: SessionRecordSet {
        let program = ProgramSummary(
            drugName: "ketamine", concentration: MilligramsPerMillilitre(2),
            doseRate: DoseRate(0.5, .milligramsPerKilogramPerHour),
            durationMinutes: 40, targetDose: Milligrams(28), volumeToBeInfused: Millilitres(14))
        let entries: [SessionEntry] = [
            .rateChange(
                RateChangeEntry(
                    time: at(seconds: 0), flow: MillilitresPerHour(17.5),
                    doseRate: DoseRate(0.5, .milligramsPerKilogramPerHour), actor: clinician,
                    reason: "start, per protocol")),
            .pumpCommand(PumpCommandEntry(time: at(seconds: 0), .setRate(MillilitresPerHour(17.5)))),
            .pumpCommand(PumpCommandEntry(time: at(seconds: 0), .start)),
            .pumpReadBack(
                PumpReadBackEntry(
                    time: at(seconds: 1), flow: MillilitresPerHour(17.5), volumeDelivered: Millilitres(0),
                    isInfusing: true, matchesCommand: true)),
            .vital(VitalEntry(time: at(seconds: 5), parameter: .spo2, value: 97)),
            .vital(VitalEntry(time: at(seconds: 5), parameter: .pulseRate, value: 72)),
            .vital(VitalEntry(time: at(seconds: 5), parameter: .perfusionIndex, value: 2.1)),
            .vital(VitalEntry(time: at(seconds: 5), parameter: .ecgHeartRate, value: 71)),
            .vital(VitalEntry(time: at(seconds: 5), parameter: .respiratoryRate, value: 14)),
            .vital(VitalEntry(time: at(seconds: 60), parameter: .nibpSystolic, value: 128)),
            .vital(VitalEntry(time: at(seconds: 60), parameter: .nibpDiastolic, value: 82)),
            .vital(VitalEntry(time: at(seconds: 60), parameter: .nibpMean, value: 97)),
            .predictedConcentration(ConcentrationEntry(time: at(seconds: 300), nanogramsPerMillilitre: 150.25)),
            .limitEvent(
                LimitEventEntry(
                    time: at(seconds: 600), limit: .doseRate, outcome: .softOverridden, side: .above,
                    requested: 0.8, limitValue: 0.75, actor: clinician,
                    reason: "clinician judgement: \"tolerating well\"")),
            .rateChange(
                RateChangeEntry(
                    time: at(seconds: 600), flow: MillilitresPerHour(28),
                    doseRate: DoseRate(0.8, .milligramsPerKilogramPerHour), actor: clinician, reason: "titrate up")),
            .alarm(
                AlarmTransitionEntry(
                    time: at(seconds: 1200), condition: .spo2Low, priority: .high, transition: .raised, sourceValue: 88)
            ),
            .vital(VitalEntry(time: at(seconds: 1260), parameter: .spo2, value: nil, flags: [.sensorOff])),
            .alarm(
                AlarmTransitionEntry(
                    time: at(seconds: 1260), condition: .spo2Low, priority: .high, transition: .acknowledged,
                    sourceValue: 88)),
            .alarm(
                AlarmTransitionEntry(
                    time: at(seconds: 1320), condition: .spo2Low, priority: .high, transition: .cleared, sourceValue: 95
                )),
            .alarm(
                AlarmTransitionEntry(
                    time: at(seconds: 1800), condition: .pumpOcclusion, priority: .high, transition: .raised)),
            .limitEvent(
                LimitEventEntry(
                    time: at(seconds: 1860), limit: .doseRate, outcome: .hardRefused, side: .above, requested: 2.5,
                    limitValue: 1.5, actor: clinician, reason: nil)),
            .recovery(
                RecoveryEntry(
                    time: at(seconds: 2100), cause: "crash", recordedDose: Milligrams(20.1),
                    reconciledDose: Milligrams(20.4), pumpVolumeDelivered: Millilitres(10.2), pumpFoundStopped: true,
                    acknowledgedBy: clinician)),
            .pumpReadBack(
                PumpReadBackEntry(
                    time: at(seconds: 2400), flow: MillilitresPerHour(28), volumeDelivered: Millilitres(12.5),
                    isInfusing: false, matchesCommand: true)),
            .discharge(
                DischargeEntry(
                    time: at(seconds: 5400), actor: clinician, aldreteTotal: 10,
                    note: "home | with escort ~ & said \\ok^")),
        ]
        return SessionRecordSet(
            sessionID: "S-2026-0001", chairID: "chair-3", pump: pump, monitor: monitor,
            patient: PatientReference(id: "MRN^1|2~3\\4&5", weight: Kilograms(70), profileID: "ketamine-psychiatric"),
            program: program, infusionStartedAt: at(seconds: 0), infusionEndedAt: at(seconds: 2400),
            outcome: .completed,
            deliveredDose: Milligrams(25), deliveredVolume: Millilitres(12.5), entries: entries)
    }
}

/// HL7 text split into segments and fields, for assertions.
struct ParsedHL7 {
    var segments: [[String]]

    init(_ message: String) {
        segments = message.split(separator: "\r").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    var names: [String] { segments.map { $0[0] } }
    var observations: [[String]] { segments.filter { $0[0] == "OBX" } }

    /// Field `index` of `segment` (HL7 numbering; for MSH, MSH-1 is the separator, so field n is at n-1).
    static func field(_ segment: [String], _ index: Int) -> String {
        let position = segment[0] == "MSH" ? index - 1 : index
        return position < segment.count ? segment[position] : ""
    }
}
