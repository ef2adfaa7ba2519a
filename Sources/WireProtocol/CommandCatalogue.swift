/// Every command of the protocol, the role it needs and a one-line summary. The daemon dispatches
/// from it, `help` prints it, and docs/PROTOCOL.md describes each entry.
public enum CommandName: String, CaseIterable, Sendable {
    case hello, version, ping, help, status, devices, watch, unwatch, notice
    /// Accept a refused device for a chair role (admin).
    case adopt
    case library, syringes, intake, program, start, rate, bolus, pause, resume, stop, ack, silence, syringe, recovery, discharge
    /// The nurse's scores of the patient (observation scales).
    case observe
    /// An as-needed medication given at the chair.
    case medicate
    /// Test-only fault switches; refused as unknown unless infusiond runs with `--test-faults`.
    case testFault = "test-fault"
    /// Walks the audit store's hash chain.
    case auditVerify = "audit-verify"
    /// A chair session's report from the audit log, in one of the export formats.
    case report
    /// One patient's sessions across chairs and days, from the audit log (operator: patient data by name).
    case course

    /// The least role allowed to run the command.
    public var requiredRole: Role {
        switch self {
        case .hello, .version, .ping, .help, .status, .devices, .watch, .unwatch, .library, .syringes, .auditVerify,
            .report:
            .viewer
        case .intake, .program, .start, .rate, .bolus, .pause, .resume, .stop, .ack, .silence, .syringe, .recovery, .discharge,
            .observe, .medicate:
            .operator
        case .course: .operator
        case .notice, .testFault, .adopt: .admin
        }
    }

    /// Whether the command acts on one chair's session (and so needs `chair`).
    public var isChairCommand: Bool { requiredRole == .operator && self != .course }

    /// A one-line description for `help`.
    public var summary: String {
        switch self {
        case .hello, .version: "protocol and daemon version, and this connection's role"
        case .ping: "liveness check; replies at once"
        case .help: "this list"
        case .status: "daemon summary: uptime, clients, devices, chairs"
        case .devices: "known serial devices with identity, driver, chair and link state"
        case .watch: "subscribe to topics, optionally replaying every event after the last seq seen: {\"cmd\":\"watch\",\"topics\":[\"alarms\"],\"since\":1234}"
        case .unwatch: "unsubscribe from topics, or from all when none are named"
        case .notice: "send a clinic-wide notice to watchers of 'notices': {\"cmd\":\"notice\",\"text\":\"...\"}"
        case .adopt: "accept the refused device waiting for a chair role: {\"cmd\":\"adopt\",\"chair\":\"1\",\"role\":\"pump\"}"
        case .library: "the drug library: profiles, concentrations, limits, version"
        case .syringes: "the syringe library (id, maker, nominal mL, inside diameter mm), its default and each chair's"
        case .intake: "admit a patient to a chair: patientID, weight, weightUnit (kg or lb), weightBasis, profileID, checklist"
        case .program: "set dose and duration (or rate), concentration, syringe volume and (optional) syringe id"
        case .start: "start the programmed infusion (a pre-start pressure above the configured bound needs confirm and reason)"
        case .rate: "titrate: {\"cmd\":\"rate\",\"chair\":\"1\",\"rate\":0.6,\"unit\":\"mg/kg/h\"}; soft limits need confirm and reason"
        case .bolus: "extra dose on the running infusion: {\"cmd\":\"bolus\",\"chair\":\"1\",\"dose\":0.1,\"seconds\":120} (mg/kg; the entry must allow boluses)"
        case .pause: "pause the pump (reason optional)"
        case .resume: "resume after a pause; alarms must be acknowledged first (confirm+reason past the soft session dose)"
        case .stop: "stop the infusion"
        case .ack: "acknowledge an alarm (condition) or all alarms of the chair"
        case .silence: "audio-pause the chair's alarms for the configured time"
        case .syringe: "change the syringe: drugName, concentration, volume, optional syringe id (re-confirms the drug)"
        case .recovery: "enter recovery, or record the Aldrete score"
        case .discharge: "sign the discharge of a discharge-ready patient"
        case .observe: "record the nurse's scores: {\"cmd\":\"observe\",\"chair\":\"1\",\"scores\":{\"moaas\":5,\"nausea\":1}}"
        case .medicate: "record an as-needed medication: {\"cmd\":\"medicate\",\"chair\":\"1\",\"drug\":\"ondansetron\",\"dose\":4,\"unit\":\"mg\",\"route\":\"IV\",\"reason\":\"nausea\"}; outside the usual dose needs override {reason}"
        case .report: "a chair's latest session from the audit log: {\"cmd\":\"report\",\"chair\":\"1\",\"format\":\"json|csv|hl7|fhir\"}"
        case .course: "one patient's sessions from the audit log, oldest first: {\"cmd\":\"course\",\"patientID\":\"P-17\"}"
        case .auditVerify: "check the audit log's hash chain; names the first broken record"
        case .testFault: "test-only: {\"cmd\":\"test-fault\",\"fault\":\"stall-control\",\"on\":true} (needs --test-faults)"
        }
    }

    /// The catalogue as `help` returns it (test-only commands are not advertised).
    public static var catalogue: HelpInfo {
        HelpInfo(commands: allCases.filter { $0 != .testFault }.map {
            CommandHelp(cmd: $0.rawValue, role: $0.requiredRole, summary: $0.summary)
        })
    }
}
