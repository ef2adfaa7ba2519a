/// The formats the `report` command offers.
public enum ExportFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// ``SessionReport/json()``.
    case json
    /// ``SessionReport/csv()``.
    case csv
    /// PCD-01, then PCD-04, then the nurse's record's messages, back to back (each segment CR-terminated).
    case hl7
    /// The FHIR R4 bundle, pretty-printed.
    case fhir
}

/// Every export of one session as text, made in one call: what the daemon's `report` command
/// returns or writes. Pure; equal inputs give equal text.
public struct SessionExports: Hashable, Sendable {
    public var reportJSON: String
    public var reportCSV: String
    /// PCD-01 (ORU^R01) messages, one string each.
    public var hl7Observations: [String]
    /// PCD-04 (ORU^R40) messages, one string each.
    public var hl7Alarms: [String]
    /// The nurse's scores (ORU^R01) and as-needed medications (RAS^O17), one string each.
    public var hl7NurseRecord: [String]
    public var fhirBundle: String

    /// Exports `records`. Throws only when a report header number is not finite (see ``SessionReport/json()``).
    public init(
        _ records: SessionRecordSet, hl7: HL7Configuration = HL7Configuration(),
        fhir: FHIRConfiguration = FHIRConfiguration()
    ) throws {
        let report = SessionReport(records)
        reportJSON = try report.json()
        reportCSV = report.csv()
        let exporter = HL7Exporter(configuration: hl7)
        hl7Observations = exporter.observationMessages(for: records)
        hl7Alarms = exporter.alarmMessages(for: records)
        hl7NurseRecord = exporter.nurseRecordMessages(for: records)
        fhirBundle = FHIRExporter(configuration: fhir).bundle(for: records).text()
    }

    /// The export in `format`, as one text.
    public func text(_ format: ExportFormat) -> String {
        switch format {
        case .json: reportJSON
        case .csv: reportCSV
        case .hl7: (hl7Observations + hl7Alarms + hl7NurseRecord).joined()
        case .fhir: fhirBundle
        }
    }
}
