#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A session report: the program, what was delivered, and every record grouped by kind, for people
/// and clinic tools. ``json()`` and ``csv()`` print it.
///
/// JSON field names are stable; `format` and `version` say which layout a file has. Numbers carry
/// their unit in the field name (`concentrationMgPerMl`) or in the row's `unit`.
public struct SessionReport: Hashable, Sendable, Codable {
    /// The layout's version; raised when a field is renamed or removed, not when one is added.
    public static let currentVersion = 1

    /// Always `infusiond-session-report`.
    public var format: String
    public var version: Int
    public var session: Header
    public var program: Program
    public var delivered: Delivered
    public var rateChanges: [ReportRow]
    public var limitEvents: [ReportRow]
    public var pumpCommands: [ReportRow]
    public var pumpReadBacks: [ReportRow]
    public var alarms: [ReportRow]
    /// The vitals trend as recorded (the store keeps at least one row per parameter per 5 s).
    public var vitals: [ReportRow]
    public var predictedConcentrations: [ReportRow]
    public var recoveries: [ReportRow]
    public var discharges: [ReportRow]
    /// The nurse's scores on observation scales, one row per score.
    public var observations: [ReportRow]
    /// The as-needed medications given at the chair.
    public var medications: [ReportRow]

    /// Who, where and when.
    public struct Header: Hashable, Sendable, Codable {
        public var sessionID: String
        public var chairID: String
        public var patientID: String
        public var weightKg: Double
        public var profileID: String
        public var pump: SessionDevice
        public var monitor: SessionDevice
        /// ISO 8601 UTC, where the infusion started / ended.
        public var infusionStartedAt: String?
        public var infusionEndedAt: String?
        /// A FHIR MedicationAdministration status code (`completed`, `stopped`, ...).
        public var outcome: String
    }

    /// The program as prescribed.
    public struct Program: Hashable, Sendable, Codable {
        public var drugName: String
        public var concentrationMgPerMl: Double
        public var doseRate: Double
        public var doseRateUnit: String
        public var durationMinutes: Double?
        public var targetDoseMg: Double?
        public var volumeToBeInfusedMl: Double?
    }

    /// What the session delivered (the store's reconciled totals).
    public struct Delivered: Hashable, Sendable, Codable {
        public var doseMg: Double
        public var volumeMl: Double?
    }

    /// The report of `records`.
    public init(_ records: SessionRecordSet) {
        format = "infusiond-session-report"
        version = Self.currentVersion
        session = Header(
            sessionID: records.sessionID, chairID: records.chairID, patientID: records.patient.id,
            weightKg: records.patient.weight.value, profileID: records.patient.profileID, pump: records.pump,
            monitor: records.monitor, infusionStartedAt: records.infusionStartedAt?.iso8601,
            infusionEndedAt: records.infusionEndedAt?.iso8601, outcome: records.outcome.rawValue)
        let prescribed = records.program
        program = Program(
            drugName: prescribed.drugName, concentrationMgPerMl: prescribed.concentration.value,
            doseRate: prescribed.doseRate.value, doseRateUnit: prescribed.doseRate.unit.rawValue,
            durationMinutes: prescribed.durationMinutes, targetDoseMg: prescribed.targetDose?.value,
            volumeToBeInfusedMl: prescribed.volumeToBeInfused?.value)
        delivered = Delivered(doseMg: records.deliveredDose.value, volumeMl: records.deliveredVolume?.value)
        let all = records.timeline.enumerated().map { ReportRow($0.element, sequence: $0.offset) }
        func rows(_ kind: String) -> [ReportRow] { all.filter { $0.kind == kind } }
        rateChanges = rows("rate-change")
        limitEvents = rows("limit-event")
        pumpCommands = rows("pump-command")
        pumpReadBacks = rows("pump-readback")
        alarms = rows("alarm")
        vitals = rows("vital")
        predictedConcentrations = rows("predicted-concentration")
        recoveries = rows("recovery")
        discharges = rows("discharge")
        observations = rows("observation")
        medications = rows("medication")
    }

    /// Every row in timeline order (by `sequence`), as the CSV prints them.
    public var timeline: [ReportRow] {
        [
            rateChanges, limitEvents, pumpCommands, pumpReadBacks, alarms, vitals, predictedConcentrations, recoveries,
            discharges, observations, medications,
        ].joined().sorted { $0.sequence < $1.sequence }
    }

    /// The report as pretty-printed JSON with sorted keys, so equal reports print byte for byte alike.
    /// Row values that are not finite are already moved to `details`; throws `EncodingError` only
    /// when a header number (weight, concentration, rate, dose) is not finite.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
