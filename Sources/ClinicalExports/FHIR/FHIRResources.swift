import InfusionCore

/// Small builders for the FHIR R4 data types the bundle uses.
enum FHIR {
    static func coding(_ system: String, _ code: String, _ display: String) -> OrderedJSON {
        .object([("system", .string(system)), ("code", .string(code)), ("display", .string(display))])
    }

    static func mdcCoding(_ term: MDCCode) -> OrderedJSON {
        coding(FHIRCodes.mdcSystem, "\(term.code)", term.name)
    }

    /// A CodeableConcept; FHIR forbids empty arrays, so `coding` is left out when there is none.
    static func concept(_ codings: [OrderedJSON], text: String? = nil) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = codings.isEmpty ? [] : [("coding", .array(codings))]
        if let text { members.append(("text", .string(text))) }
        return .object(members)
    }

    static func quantity(_ value: Double, ucum: String) -> OrderedJSON {
        .object([
            ("value", .number(value)), ("unit", .string(ucum)), ("system", .string(FHIRCodes.ucumSystem)),
            ("code", .string(ucum)),
        ])
    }

    static func reference(_ uuid: DeterministicUUID, display: String? = nil) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [("reference", .string(uuid.urn))]
        if let display { members.append(("display", .string(display))) }
        return .object(members)
    }

    /// The vital-signs category every vitals Observation carries.
    static let vitalSignsCategory: OrderedJSON = .array([
        concept([coding(FHIRCodes.observationCategorySystem, "vital-signs", "Vital Signs")])
    ])

    /// The Observation.code of a vital sign: its LOINC codes, then its 11073 code.
    static func code(of parameter: VitalParameter) -> OrderedJSON {
        let loinc = parameter.loincCodes.map { coding(FHIRCodes.loincSystem, $0.code, $0.display) }
        return concept(loinc + [mdcCoding(parameter.mdcTerm)])
    }

    /// The value of a reading: a UCUM quantity, or `dataAbsentReason` when the monitor sent none.
    static func value(of vital: VitalEntry) -> (String, OrderedJSON) {
        if let value = vital.value, value.isFinite {
            return ("valueQuantity", quantity(value, ucum: vital.parameter.unit.ucum))
        }
        return ("dataAbsentReason", concept([coding(FHIRCodes.dataAbsentReasonSystem, "unknown", "Unknown")]))
    }

    /// A note naming the device's validity flags, where there are any.
    static func flagNote(_ flags: VitalSignFlags) -> (String, OrderedJSON)? {
        guard !flags.isEmpty else { return nil }
        let names = VitalSignFlags.named.filter { flags.contains($0.flag) }.map(\.name).joined(separator: ", ")
        return ("note", .array([.object([("text", .string("device flags: \(names)"))])]))
    }
}
