public import InfusionCore

/// The prompt that ends every Harvard reply (docs/DEVICE-BASIS.md §3).
public enum HarvardPrompt: String, CaseIterable, Hashable, Sendable {
    case idle = ":"
    case infusing = ">"
    case withdrawing = "<"
    case stalled = "*"
    case targetReached = "T*"

    /// What the pump is doing in domain terms. An idle pump reads as paused (the core's reading of
    /// Harvard's `:` after `stop`); withdrawing is not a clinical state, so it reads as unknown.
    public var runState: PumpRunState {
        switch self {
        case .idle: .paused
        case .infusing: .infusing
        case .withdrawing: .unknown
        case .stalled: .alarmed
        case .targetReached: .stopped
        }
    }

    /// The conditions the prompt reports.
    public var alarms: Set<PumpAlarm> {
        switch self {
        case .stalled: [.occlusion]
        case .targetReached: [.targetReached]
        default: []
        }
    }
}

/// Errors an older Model 11 Plus prints on a line of its own (docs/DEVICE-BASIS.md §3).
public enum HarvardError: String, CaseIterable, Hashable, Sendable {
    case unknownCommand = "?"
    case outOfRange = "OOR"
}

/// One Harvard reply: CR LF, any data lines each ended by CR LF, then the two-digit address (on
/// networked units) and the prompt. Example: `\r\n0.1234 ml\r\n00>`.
public struct HarvardReply: Hashable, Sendable {
    /// The replying pump's address; nil when the prompt came without one.
    public var address: UInt8?
    public var lines: [String]
    public var prompt: HarvardPrompt

    public init(address: UInt8?, lines: [String] = [], prompt: HarvardPrompt) {
        self.address = address
        self.lines = lines
        self.prompt = prompt
    }

    /// The error line, if the pump rejected the command.
    public var error: HarvardError? {
        lines.lazy.compactMap { HarvardError(rawValue: $0) }.first
    }

    /// The reply as the pump sends it.
    /// - Precondition: `address` ≤ 99.
    public var encoded: [UInt8] {
        var text = "\r\n"
        for line in lines { text += line + "\r\n" }
        if let address { text += (address < 10 ? "0" : "") + String(address) }
        return Array((text + prompt.rawValue).utf8)
    }

    /// A domain read-back from a prompt and, optionally, the `irate` and `ivolume` replies.
    public static func observation(
        status reply: HarvardReply,
        rate rateReply: HarvardReply? = nil,
        infused infusedReply: HarvardReply? = nil,
        at time: MonotonicInstant
    ) -> PumpObservation {
        let rate = rateReply?.lines.first.flatMap(HarvardReplyValues.rate)
        let infused = infusedReply?.lines.first.flatMap(HarvardReplyValues.volume)
        return PumpObservation(
            state: reply.prompt.runState,
            rateMillilitresPerHour: rate.map { $0.value * $0.units.millilitresPerHour },
            infusedMillilitres: infused.map { $0.value * $0.units.millilitres },
            alarms: reply.prompt.alarms,
            time: time
        )
    }
}
