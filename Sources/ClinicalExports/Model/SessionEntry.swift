/// One record of a session's timeline. Encodes flat, with a `kind` field naming the case
/// (`{"kind":"vital","time":…,"parameter":"spo2",…}`), so the JSON reads like the store's rows.
public enum SessionEntry: Hashable, Sendable, Codable {
    case rateChange(RateChangeEntry)
    case limitEvent(LimitEventEntry)
    case pumpCommand(PumpCommandEntry)
    case pumpReadBack(PumpReadBackEntry)
    case alarm(AlarmTransitionEntry)
    case vital(VitalEntry)
    case predictedConcentration(ConcentrationEntry)
    case recovery(RecoveryEntry)
    case discharge(DischargeEntry)
    /// A score on an observation scale, recorded by the nurse.
    case observation(ObservationEntry)
    /// An as-needed medication given at the chair.
    case medication(MedicationEntry)

    /// The stable kebab-case name of the case, as JSON `kind` and the CSV `kind` column print it.
    public var kind: String {
        switch self {
        case .rateChange: "rate-change"
        case .limitEvent: "limit-event"
        case .pumpCommand: "pump-command"
        case .pumpReadBack: "pump-readback"
        case .alarm: "alarm"
        case .vital: "vital"
        case .predictedConcentration: "predicted-concentration"
        case .recovery: "recovery"
        case .discharge: "discharge"
        case .observation: "observation"
        case .medication: "medication"
        }
    }

    /// When it happened.
    public var time: UTCInstant {
        switch self {
        case .rateChange(let entry): entry.time
        case .limitEvent(let entry): entry.time
        case .pumpCommand(let entry): entry.time
        case .pumpReadBack(let entry): entry.time
        case .alarm(let entry): entry.time
        case .vital(let entry): entry.time
        case .predictedConcentration(let entry): entry.time
        case .recovery(let entry): entry.time
        case .discharge(let entry): entry.time
        case .observation(let entry): entry.time
        case .medication(let entry): entry.time
        }
    }

    private enum KindKey: String, CodingKey {
        case kind
    }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: KindKey.self).decode(String.self, forKey: .kind)
        switch kind {
        case "rate-change": self = .rateChange(try RateChangeEntry(from: decoder))
        case "limit-event": self = .limitEvent(try LimitEventEntry(from: decoder))
        case "pump-command": self = .pumpCommand(try PumpCommandEntry(from: decoder))
        case "pump-readback": self = .pumpReadBack(try PumpReadBackEntry(from: decoder))
        case "alarm": self = .alarm(try AlarmTransitionEntry(from: decoder))
        case "vital": self = .vital(try VitalEntry(from: decoder))
        case "predicted-concentration": self = .predictedConcentration(try ConcentrationEntry(from: decoder))
        case "recovery": self = .recovery(try RecoveryEntry(from: decoder))
        case "discharge": self = .discharge(try DischargeEntry(from: decoder))
        case "observation": self = .observation(try ObservationEntry(from: decoder))
        case "medication": self = .medication(try MedicationEntry(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: try decoder.container(keyedBy: KindKey.self),
                debugDescription: "unknown session entry kind '\(kind)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: KindKey.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .rateChange(let entry): try entry.encode(to: encoder)
        case .limitEvent(let entry): try entry.encode(to: encoder)
        case .pumpCommand(let entry): try entry.encode(to: encoder)
        case .pumpReadBack(let entry): try entry.encode(to: encoder)
        case .alarm(let entry): try entry.encode(to: encoder)
        case .vital(let entry): try entry.encode(to: encoder)
        case .predictedConcentration(let entry): try entry.encode(to: encoder)
        case .recovery(let entry): try entry.encode(to: encoder)
        case .discharge(let entry): try entry.encode(to: encoder)
        case .observation(let entry): try entry.encode(to: encoder)
        case .medication(let entry): try entry.encode(to: encoder)
        }
    }
}
