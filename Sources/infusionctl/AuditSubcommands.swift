import ArgumentParser
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

    func run() throws {
        var broken = false
        try options.runCommand(Request(command: "audit-verify")) { result in
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
