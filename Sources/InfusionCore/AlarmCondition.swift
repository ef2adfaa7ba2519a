/// IEC 60601-1-8 alarm priorities (docs/CLINICAL-BASIS.md §3.2), ordered so that `.high > .medium`.
public enum AlarmPriority: Int, Hashable, Sendable, Codable, Comparable, CaseIterable {
    case low = 1
    case medium = 2
    case high = 3

    public static func < (lhs: AlarmPriority, rhs: AlarmPriority) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name people read on the wire and in configuration: "low", "medium", "high".
    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }

    /// Decodes a name ("high") or, for older files, the number (3).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let name = try? container.decode(String.self), let priority = Self.allCases.first(where: { $0.name == name }) {
            self = priority
        } else if let number = try? container.decode(Int.self), let priority = AlarmPriority(rawValue: number) {
            self = priority
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected low, medium or high")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// IEC 60601-1-8 distinguishes conditions about the patient from conditions about the equipment.
public enum AlarmCategory: String, Hashable, Sendable, Codable {
    case physiological
    case technical
}

/// Every alarm condition the core detects for one chair.
public enum AlarmCondition: String, Hashable, Sendable, Codable, CaseIterable {
    // Physiological (docs/CLINICAL-BASIS.md §1.7, §0 row 17).
    case spo2Low
    case systolicHigh
    case systolicLow
    case diastolicHigh
    case diastolicLow
    case heartRateHigh
    case heartRateLow
    case noPulse
    // Technical (docs/CLINICAL-BASIS.md §6.3, §3.1).
    case pumpLinkLost
    case monitorLinkLost
    case staleVitals
    /// ECG heart rate and pleth pulse rate have disagreed by more than the configured gap for longer than
    /// its delay: one of them is probably wrong (lead placement, motion, a poor pleth signal).
    case heartRateSourcesDisagree
    /// The last cuff pressure is older than 1.5 × the cuff cycle (docs/CLINICAL-BASIS.md §1.6).
    case bloodPressureOverdue
    /// An observation the profile schedules is due and not recorded (docs/CLINICAL-BASIS.md §8.8): a reminder.
    case observationDue
    case pumpOcclusion
    case pumpSyringeEmpty
    case pumpNearEmpty
    case pumpStall
    case pumpFault
    /// The pump's syringe diameter is not the program's syringe's: every volume would be scaled wrong.
    case pumpSyringeMismatch
    case readBackMismatch
    case commandUnconfirmed
    case volumeDivergence
    /// Delivery passed the cumulative soft session-dose limit and is paused until an override with a reason.
    case sessionDoseSoftLimit
    /// The daemon restarted with a session in progress; a person reviews the reconciled dose (issue 7).
    case restartRecovery
    /// The audit store is not keeping records durably (disk full, write failures, queue overflow).
    case recordKeepingFailure

    public var category: AlarmCategory {
        switch self {
        case .spo2Low, .systolicHigh, .systolicLow, .diastolicHigh, .diastolicLow, .heartRateHigh, .heartRateLow,
            .noPulse:
            .physiological
        default:
            .technical
        }
    }

    /// Whether the condition comes from cuff blood pressure alone (for the confirming-reading option).
    public var isBloodPressure: Bool {
        switch self {
        case .systolicHigh, .systolicLow, .diastolicHigh, .diastolicLow: true
        default: false
        }
    }

    /// Every condition, stored once: the synthesized `allCases` builds a new array on each call,
    /// which the tick path must not do.
    static let all: [AlarmCondition] = allCases

    /// The conditions a pump reports about itself.
    static let pumpReported: [AlarmCondition] = [.pumpOcclusion, .pumpSyringeEmpty, .pumpNearEmpty, .pumpStall, .pumpFault]

    /// Position in `all`, for fixed-size per-condition storage.
    var index: Int { Self.all.firstIndex(of: self) ?? 0 }

    /// The condition a pump-reported alarm maps to; nil for reports that are not alarm conditions.
    public init?(pumpAlarm: PumpAlarm) {
        switch pumpAlarm {
        case .occlusion: self = .pumpOcclusion
        case .syringeEmpty: self = .pumpSyringeEmpty
        case .nearEmpty: self = .pumpNearEmpty
        case .stall: self = .pumpStall
        case .powerInterrupted, .communicationTimeout, .commandError: self = .pumpFault
        case .targetReached: return nil
        }
    }
}
