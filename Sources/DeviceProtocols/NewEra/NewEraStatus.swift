public import InfusionCore

/// Alarms the NE-1000 reports as `A?<letter>` in place of the status character.
/// Letters: docs/DEVICE-BASIS.md §1 "Status (prompt) characters and alarms".
public enum NewEraAlarm: String, CaseIterable, Hashable, Sendable {
    /// Power was interrupted: the pump reset.
    case reset = "R"
    /// The motor stalled: occlusion, end of travel or too much force.
    case stalled = "S"
    /// The safe-mode communication timer expired; the pump stopped itself.
    case safeModeTimeout = "T"
    /// Pumping program error.
    case programError = "E"
    /// Pumping program phase out of range.
    case phaseOutOfRange = "O"

    /// The domain alarm this maps to.
    public var pumpAlarm: PumpAlarm {
        switch self {
        case .reset: .powerInterrupted
        case .stalled: .occlusion
        case .safeModeTimeout: .communicationTimeout
        case .programError: .commandError
        case .phaseOutOfRange: .targetReached
        }
    }
}

/// The status a reply carries right after the address: a state letter, or an alarm.
public enum NewEraStatus: Hashable, Sendable {
    case infusing
    case withdrawing
    case stopped
    case paused
    case timedPause
    case waitingForTrigger
    case purging
    case alarm(NewEraAlarm)

    /// The state letter; `A` for an alarm (followed on the wire by `?` and the alarm letter).
    public var character: Character {
        switch self {
        case .infusing: "I"
        case .withdrawing: "W"
        case .stopped: "S"
        case .paused: "P"
        case .timedPause: "T"
        case .waitingForTrigger: "U"
        case .purging: "X"
        case .alarm: "A"
        }
    }

    /// The status for a non-alarm state letter; nil for `A` and unknown letters.
    public init?(stateCharacter: Character) {
        switch stateCharacter {
        case "I": self = .infusing
        case "W": self = .withdrawing
        case "S": self = .stopped
        case "P": self = .paused
        case "T": self = .timedPause
        case "U": self = .waitingForTrigger
        case "X": self = .purging
        default: return nil
        }
    }

    /// What the pump is doing in domain terms. Withdrawing is not a state a clinic drives a pump
    /// into, so it reads as `.unknown` and the core treats it as doubt; purging delivers, so it
    /// counts as infusing.
    public var runState: PumpRunState {
        switch self {
        case .infusing, .purging: .infusing
        case .withdrawing: .unknown
        case .stopped: .stopped
        case .paused, .timedPause, .waitingForTrigger: .paused
        case .alarm: .alarmed
        }
    }
}

/// Errors the pump puts in a reply's data field after the status.
/// Codes: docs/DEVICE-BASIS.md §1 "Command errors".
public enum NewEraError: String, CaseIterable, Hashable, Sendable {
    /// `?`: command not recognised.
    case notRecognised = ""
    /// `?NA`: command not applicable now (e.g. units change while pumping).
    case notApplicable = "NA"
    /// `?OOR`: data out of range (e.g. a rate outside the diameter's limits).
    case outOfRange = "OOR"
    /// `?COM`: invalid safe-mode packet.
    case invalidPacket = "COM"
    /// `?IGN`: ignored because a new phase started at the same time.
    case ignored = "IGN"
}
