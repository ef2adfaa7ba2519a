/// Why a command was refused: a stable machine-readable `code` for clients and a human `message`.
///
/// A struct rather than an enum so a new code never breaks a caller's exhaustive switch.
public struct CoreError: Error, Hashable, Sendable, Codable {
    /// Stable kebab-case code, e.g. "hard-limit". Part of the wire protocol; never renamed.
    public var code: String
    /// A sentence for the operator.
    public var message: String
    /// Stable words naming what is missing, for refusals that list it: `discharge-criteria-missing` gives
    /// one `MissingDischargeCriterion.word` per criterion not met. Nil for other refusals.
    public var details: [String]?

    public init(code: String, message: String, details: [String]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    static func wrongState(_ command: String, _ state: SessionState) -> CoreError {
        CoreError(code: "wrong-state", message: "\(command) is not allowed while the chair is \(state.rawValue)")
    }

    static func hardLimit(_ event: LimitEvent) -> CoreError {
        CoreError(
            code: "hard-limit",
            message: "\(event.kind.rawValue) \(event.requested) \(event.kind.unit) is \(event.side.rawValue) the hard limit "
                + "\(event.limit) \(event.kind.unit); re-enter a value within limits"
        )
    }

    static func softLimitNeedsOverride(_ event: LimitEvent, reasonMissing: Bool) -> CoreError {
        CoreError(
            code: reasonMissing ? "override-reason-missing" : "soft-limit-needs-override",
            message: "\(event.kind.rawValue) \(event.requested) \(event.kind.unit) is \(event.side.rawValue) the soft limit "
                + "\(event.limit) \(event.kind.unit); confirm with a reason to proceed"
        )
    }

    static func invalid(_ what: String) -> CoreError {
        CoreError(code: "invalid-argument", message: what)
    }
}
