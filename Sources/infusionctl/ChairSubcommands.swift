import ArgumentParser
import WireProtocol
import InfusionDashboard

/// Options of every command that acts on one chair.
struct ChairOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "The chair, as configured.") var chair: String

    /// Sends `command` with `fields` for this chair and prints the chair's state after it.
    func run(_ command: CommandName, _ fields: [String: JSONValue] = [:]) throws {
        var all = fields
        all["chair"] = .string(chair)
        try connection.runCommand(Request(command: command.rawValue, fields: all)) { result in
            let chair = try LineCoding.convert(result ?? .null, to: ChairStatus.self)
            let alarms = chair.alarms.isEmpty ? "no alarms" : chair.alarms.keys.sorted().joined(separator: ", ")
            // Two decimals, as a pump's display shows them (the raw double can read 3.98e-05).
            // Absent while delivery is uncertain: the flow is unknown then, never shown as a number.
            let flow = chair.flowMillilitresPerHour.map { DashboardRenderer.number($0, 2) } ?? "unknown"
            let delivered = DashboardRenderer.number(chair.deliveredMilligrams, 2)
            return "chair \(chair.id): \(chair.state.rawValue), \(flow) mL/h, \(delivered) mg delivered, \(alarms)"
        }
    }
}


struct Intake: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Admit a patient to a chair (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Patient identifier.") var patient: String
    @Option(help: "Weight, in --weight-unit.") var weight: Double
    @Option(help: "Unit of --weight: kg or lb (required, so pounds are never read as kilograms).") var weightUnit: String
    @Option(help: "How the weight was obtained: measured, stated, ideal, adjusted.") var basis = "measured"
    @Option(help: "Drug-library profile, e.g. ketamine-psychiatric.") var profile: String
    @Option(help: "Who signed the contraindication checklist.") var signedBy: String

    func run() throws {
        try options.run(.intake, [
            "patientID": .string(patient), "weight": .number(weight), "weightUnit": .string(weightUnit), "weightBasis": .string(basis),
            "profileID": .string(profile), "checklistSigned": .bool(true), "checklistSignedBy": .string(signedBy),
        ])
    }
}

struct Program: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Programme the infusion (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Syringe concentration in mg/mL.") var concentration: Double
    @Option(help: "Syringe volume in mL.") var syringe: Double
    @Option(help: "Total dose in mg/kg (with --minutes).") var dose: Double?
    @Option(help: "Duration in minutes (with --dose).") var minutes: Double?
    @Option(help: "Rate instead of dose and duration, with --unit.") var rate: Double?
    @Option(help: "Unit of --rate: mg/kg/h, mg/h or mL/h.") var unit: String?
    @Option(help: "The syringe loaded, by syringe-library id (see `syringes`); default: the chair's.") var syringeType: String?

    func run() throws {
        var fields: [String: JSONValue] = ["concentration": .number(concentration), "syringeVolume": .number(syringe)]
        if let syringeType { fields["syringe"] = .string(syringeType) }
        if let dose { fields["totalDose"] = .number(dose) }
        if let minutes { fields["durationMinutes"] = .number(minutes) }
        if let rate, let unit { fields["rate"] = .object(["value": .number(rate), "unit": .string(unit)]) }
        try options.run(.program, fields)
    }
}

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the programmed infusion (operator). A pre-start pressure above the configured bound needs --confirm and --reason.")
    @OptionGroup var options: ChairOptions
    @OptionGroup var override: SoftLimitOverride
    func run() throws { try options.run(.start, override.confirm ? override.fields : [:]) }
}

/// `--confirm` and `--reason`, which every command that can pass a soft limit takes.
struct SoftLimitOverride: ParsableArguments {
    @Flag(help: "Confirm a value above a soft limit.") var confirm = false
    @Option(help: "Why the soft limit is overridden.") var reason: String?

    /// The request fields these flags become.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["confirm": .bool(confirm)]
        if let reason { fields["reason"] = .string(reason) }
        return fields
    }
}

struct Rate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Titrate (operator). Above a soft limit, --confirm and --reason are required; hard limits never yield.")
    @OptionGroup var options: ChairOptions
    @Argument(help: "The new rate.") var rate: Double
    @Argument(help: "Its unit: mg/kg/h, mg/h or mL/h.") var unit: String
    @OptionGroup var override: SoftLimitOverride

    func run() throws {
        var fields = override.fields
        fields["rate"] = .number(rate)
        fields["unit"] = .string(unit)
        try options.run(.rate, fields)
    }
}

struct Bolus: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push an extra dose on the running infusion (operator), where the drug-library entry allows one.")
    @OptionGroup var options: ChairOptions
    @Argument(help: "The bolus dose in mg/kg.") var dose: Double
    @Option(help: "Push it over this many seconds (at least the configured minimum, 60 s by default).") var seconds: Double?
    @OptionGroup var override: SoftLimitOverride

    func run() throws {
        var fields = override.fields
        fields["dose"] = .number(dose)
        if let seconds { fields["seconds"] = .number(seconds) }
        try options.run(.bolus, fields)
    }
}

struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pause the pump (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Why.") var reason: String?
    func run() throws { try options.run(.pause, reason.map { ["reason": .string($0)] } ?? [:]) }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resume after a pause; alarms must be acknowledged, and a hold at the soft session dose confirmed (operator).")
    @OptionGroup var options: ChairOptions
    @OptionGroup var override: SoftLimitOverride
    func run() throws { try options.run(.resume, override.fields) }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the infusion (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Why.") var reason: String?
    func run() throws { try options.run(.stop, reason.map { ["reason": .string($0)] } ?? [:]) }
}

struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Acknowledge an alarm, or all of the chair's (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "The alarm condition, e.g. systolicHigh.") var condition: String?
    func run() throws { try options.run(.ack, condition.map { ["condition": .string($0)] } ?? [:]) }
}

struct Silence: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Audio-pause the chair's alarms (operator).")
    @OptionGroup var options: ChairOptions
    func run() throws { try options.run(.silence) }
}

struct Syringe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change the syringe, re-confirming drug and concentration (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Drug name on the new syringe.") var drug: String
    @Option(help: "Its concentration in mg/mL.") var concentration: Double
    @Option(help: "Its volume in mL.") var volume: Double
    @Option(help: "Its syringe-library id, when another kind than before (see `syringes`).") var syringeType: String?
    func run() throws {
        var fields: [String: JSONValue] = [
            "drugName": .string(drug), "concentration": .number(concentration), "volume": .number(volume),
        ]
        if let syringeType { fields["syringe"] = .string(syringeType) }
        try options.run(.syringe, fields)
    }
}

struct Recovery: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enter recovery, or record an Aldrete score (operator).")
    @OptionGroup var options: ChairOptions
    @Option(help: "Modified Aldrete: activity,respiration,circulation,consciousness,oxygen (each 0-2).")
    var aldrete: String?

    func run() throws {
        guard let aldrete else { return try options.run(.recovery) }
        let scores = aldrete.split(separator: ",").compactMap { Int64($0) }
        guard scores.count == 5 else { throw ValidationError("--aldrete needs five numbers, e.g. 2,2,2,2,2") }
        let names = ["activity", "respiration", "circulation", "consciousness", "oxygenSaturation"]
        let object = Dictionary(uniqueKeysWithValues: zip(names, scores.map(JSONValue.integer)))
        try options.run(.recovery, ["aldrete": .object(object)])
    }
}

struct Observe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the nurse's scores of the patient (operator): infusionctl observe --chair 1 moaas=5 nausea=1",
        discussion: "Scale ids and ranges: 'infusionctl library' (observationScales). All scores are refused if one is.")
    @OptionGroup var options: ChairOptions
    @Argument(help: "Scores as SCALE=VALUE (whole numbers).") var scores: [String]
    @Option(help: "What the nurse adds in words.") var note: String?

    /// The scores as the request's object; a malformed pair is a usage error, caught before anything is sent.
    var scoreFields: [String: JSONValue] {
        get throws {
            var fields: [String: JSONValue] = [:]
            for pair in scores {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Int64(parts[1]) else {
                    throw ValidationError("'\(pair)' is not SCALE=VALUE with a whole number, e.g. moaas=5")
                }
                fields[parts[0]] = .integer(value)
            }
            return fields
        }
    }

    func validate() throws {
        guard !scores.isEmpty else { throw ValidationError("give at least one score, e.g. moaas=5") }
        _ = try scoreFields
    }

    func run() throws {
        var fields: [String: JSONValue] = ["scores": .object(try scoreFields)]
        if let note { fields["note"] = .string(note) }
        try options.run(.observe, fields)
    }
}

struct Medicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record an as-needed medication given at the chair (operator): infusionctl medicate --chair 1 ondansetron 4 mg IV --reason nausea",
        discussion: "The clinic's list and usual doses: 'infusionctl library' (asNeededMedications). A dose outside the usual range needs --override-reason.")
    @OptionGroup var options: ChairOptions
    @Argument(help: "The drug's id on the clinic's list, e.g. ondansetron.") var drug: String
    @Argument(help: "The dose given.") var dose: Double
    @Argument(help: "Its unit: mg or mcg.") var unit: String
    @Argument(help: "The route: IV, IM, PO or SL.") var route: String
    @Option(help: "Why it was given.") var reason: String
    @Option(help: "Why a dose outside the usual range was given.") var overrideReason: String?

    func run() throws {
        var fields: [String: JSONValue] = [
            "drug": .string(drug), "dose": .number(dose), "unit": .string(unit), "route": .string(route), "reason": .string(reason),
        ]
        if let overrideReason { fields["override"] = .object(["reason": .string(overrideReason)]) }
        try options.run(.medicate, fields)
    }
}

struct Discharge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign the discharge of a discharge-ready patient (operator).")
    @OptionGroup var options: ChairOptions
    func run() throws { try options.run(.discharge) }
}

struct Syringes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the syringe library and each chair's default (JSON).")
    @OptionGroup var connection: ConnectionOptions
    func run() throws {
        try connection.runCommand(Request(command: "syringes")) { result in
            String(decoding: LineCoding.encodedData(result ?? .null), as: UTF8.self)
        }
    }
}

struct Library: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the drug library (JSON).")
    @OptionGroup var connection: ConnectionOptions
    func run() throws {
        try connection.runCommand(Request(command: "library")) { result in
            String(decoding: LineCoding.encodedData(result ?? .null), as: UTF8.self)
        }
    }
}
