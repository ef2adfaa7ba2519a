import InfusionCore

/// The nurse's record as HL7 v2.6 (docs/EXPORTS.md): an ORU^R01 per instant at which scores were recorded,
/// one OBX per score (LOINC where the scale has a code, else the scale id as a local code `L`) with the note as
/// NTE; and an RAS^O17 (pharmacy administration) per as-needed medication, its RXA giving drug, dose and unit
/// and its RXR the route (HL7 table 0162). These are clinical documentation, not device data, so they carry no
/// IHE PCD profile and no 11073 containment.
struct NurseRecordBuilder {
    static let observationType = ["ORU", "R01", "ORU_R01"]
    static let administrationType = ["RAS", "O17", "RAS_O17"]
    /// OBR-4 of the scores: the local code of the nurse's assessment at the chair.
    static let assessment = HL7Text.components("nurse-assessment", "Nursing assessment at the chair", "L")

    var envelope: HL7Envelope

    /// Every message, in time order: scores and medications interleaved.
    func messages() -> [String] {
        var scoresAt: [(time: UTCInstant, scores: [ObservationEntry])] = []
        var bodies: [(time: UTCInstant, build: (String) -> [HL7Segment], kind: String)] = []
        for entry in envelope.records.timeline {
            switch entry {
            case .observation(let score):
                if let last = scoresAt.last, last.time == score.time {
                    scoresAt[scoresAt.count - 1].scores.append(score)
                } else {
                    scoresAt.append((score.time, [score]))
                }
            case .medication(let given):
                bodies.append((given.time, { id in administration(given, controlID: id) }, "O17"))
            default:
                continue
            }
        }
        for group in scoresAt {
            bodies.append((group.time, { id in observation(group.scores, controlID: id) }, "R01N"))
        }
        let ordered = bodies.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        return ordered.enumerated().map { index, body in
            HL7Segment.message(body.build(envelope.controlID(body.kind, index + 1)))
        }
    }

    /// ORU^R01: the scores recorded at one instant.
    private func observation(_ scores: [ObservationEntry], controlID: String) -> [HL7Segment] {
        let time = scores[0].time
        let order = HL7Segment(
            "OBR",
            [
                1: "1", 2: HL7Text.components(envelope.records.sessionID, envelope.configuration.sendingApplication),
                3: HL7Text.components(controlID, envelope.configuration.sendingApplication), 4: Self.assessment,
                7: time.hl7,
            ])
        var segments = [
            envelope.header(type: Self.observationType, controlID: controlID, time: time, profile: []),
            envelope.patient, envelope.visit, order,
        ]
        for (offset, score) in scores.enumerated() {
            let code =
                ObservationScaleLOINC.codes[score.scale].map { HL7Text.components($0.code, $0.display, "LN") }
                ?? HL7Text.components(score.scale, score.scale, "L")
            var fields = [1: "\(offset + 1)", 2: "NM", 3: code, 5: "\(score.value)", 11: "F", 14: score.time.hl7]
            if let actor = score.actor { fields[16] = HL7Text.components("uid:\(actor.uid)") }
            segments.append(HL7Segment("OBX", fields))
            if let note = score.note { segments.append(HL7Segment("NTE", [1: "1", 3: HL7Text.escape(note)])) }
        }
        return segments
    }

    /// RAS^O17: one as-needed medication given.
    private func administration(_ given: MedicationEntry, controlID: String) -> [HL7Segment] {
        let time = given.time.hl7
        let common = ORCFields(given: given, controlID: controlID, envelope: envelope)
        var administered = [
            1: "0", 2: "1", 3: time, 4: time, 5: HL7Text.components(given.drug, given.name, "L"),
            6: DecimalText.format(optional: given.dose), 7: HL7Text.components(given.ucumUnit, given.ucumUnit, "UCUM"),
            20: "CP", 21: "A",
        ]
        if let actor = given.actor { administered[10] = HL7Text.components("uid:\(actor.uid)") }
        return [
            envelope.header(type: Self.administrationType, controlID: controlID, time: given.time, profile: []),
            envelope.patient, envelope.visit, HL7Segment("ORC", common.fields), HL7Segment("RXA", administered),
            HL7Segment("RXR", [1: Self.route(given.route)]),
        ]
    }

    /// RXR-1: the route in HL7 table 0162.
    private static func route(_ route: MedicationRoute) -> String {
        switch route {
        case .iv: HL7Text.components("IV", "Intravenous", "HL70162")
        case .im: HL7Text.components("IM", "Intramuscular", "HL70162")
        case .po: HL7Text.components("PO", "Oral", "HL70162")
        case .sl: HL7Text.components("SL", "Sublingual", "HL70162")
        }
    }
}

/// ORC of an administration: `RE` (observations to follow), the placer number, and why it was given
/// (ORC-16, order control code reason), as text.
private struct ORCFields {
    var fields: [Int: String]

    init(given: MedicationEntry, controlID: String, envelope: HL7Envelope) {
        var reason = given.reason
        if let overrideReason = given.overrideReason { reason += "; outside the usual dose: \(overrideReason)" }
        fields = [
            1: "RE", 2: HL7Text.components(controlID, envelope.configuration.sendingApplication),
            9: given.time.hl7, 16: HL7Text.components(nil, reason),
        ]
    }
}
