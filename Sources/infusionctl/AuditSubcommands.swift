import ArgumentParser
import InfusionDashboard
import WireProtocol

/// `infusionctl audit ...`: the durable audit log.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the audit log.", subcommands: [AuditVerify.self])
}

/// `infusionctl audit verify`: walks the hash chain; exit 65 (EX_DATAERR) when a record does not verify.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the audit log's hash chain and name the first broken record.")
    @OptionGroup var options: ConnectionOptions
    @Option(name: .long, help: "SEQUENCE:HASH from an earlier status.audit.anchor: also proves no record up to it was removed.")
    var anchor: String?

    func run() throws {
        var broken = false
        let fields: [String: JSONValue] = anchor.map { ["anchor": .string($0)] } ?? [:]
        try options.runCommand(Request(command: "audit-verify", fields: fields)) { result in
            let verification = try LineCoding.convert(result ?? .null, to: AuditVerification.self)
            guard let first = verification.firstBrokenRecord else {
                return "audit log intact: \(verification.records) records verified"
            }
            broken = true
            return "audit log BROKEN: record \(first) does not verify (\(verification.records) records)"
        }
        if broken { throw ExitCode(ExitStatus.auditBroken) }
    }
}

/// `infusionctl report`: a chair's latest session from the audit log, as JSON, CSV, HL7 v2.6 or FHIR R4.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a chair's latest session report (json, csv, hl7, fhir) from the audit log.")
    @OptionGroup var options: ConnectionOptions
    @Option(name: .long, help: "The chair, as configured.") var chair: String
    @Option(name: .long, help: "json, csv, hl7 (IHE PCD-01 and PCD-04 messages) or fhir (R4 bundle).") var format = "json"

    func run() throws {
        let request = Request(command: "report", fields: ["chair": .string(chair), "format": .string(format)])
        // Printed byte for byte (HL7 segments end in CR, CSV rows in CRLF), so the output feeds a parser as is.
        try options.runCommand(request, terminator: "") { result in
            try LineCoding.convert(result ?? .null, to: ReportText.self).text
        }
    }
}

/// `infusionctl course P-17`: one patient's sessions from the audit log as a table, with the outcome scores' trend.
struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a patient's sessions (dose, vitals, alarms, scores) and the trend of the outcome scores.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The patient's identifier, as entered at intake.") var patientID: String

    func run() throws {
        try options.runCommand(Request(command: "course", fields: ["patientID": .string(patientID)])) { result in
            CourseTable.render(try LineCoding.convert(result ?? .null, to: PatientCourse.self)).joined(separator: "\n")
        }
    }
}
