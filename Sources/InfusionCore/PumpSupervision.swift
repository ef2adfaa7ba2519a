/// Read-back of every pump command (docs/CLINICAL-BASIS.md §6.3 "Command not applied as intended"): what the
/// core expects the pump to be doing, whether the last command is still unconfirmed ("sent but not
/// confirmed" is a state of its own), and whether the pump's report contradicts the expectation.
struct PumpSupervision: Hashable, Sendable {
    /// Whether the pump should be running, and at what flow.
    private(set) var expectsRunning = false
    private(set) var expectedFlow = MillilitresPerHour.zero
    /// When the oldest unconfirmed command was sent; nil when everything sent has been confirmed.
    private(set) var unconfirmedSince: MonotonicInstant?
    /// The pump's report contradicted a confirmed expectation.
    private(set) var readBackMismatch = false
    /// Conditions the pump reported in its latest observation.
    private(set) var reportedAlarms: Set<PumpAlarm> = []

    /// Records that commands were sent which should leave the pump running at `flow` (or stopped).
    mutating func commandSent(running: Bool, flow: MillilitresPerHour, at now: MonotonicInstant) {
        expectsRunning = running
        expectedFlow = flow
        if unconfirmedSince == nil { unconfirmedSince = now }
    }

    /// Compares a read-back with the expectation. A report that disagrees while a command is still
    /// unconfirmed is not yet a mismatch: the pump may not have applied it.
    mutating func observe(_ observation: PumpObservation, policy: PumpSupervisionPolicy) {
        reportedAlarms = observation.alarms
        let matches = Self.matches(observation, running: expectsRunning, flow: expectedFlow, policy: policy)
        if matches {
            unconfirmedSince = nil
            readBackMismatch = false
        } else if unconfirmedSince == nil {
            // A pump that stopped itself and says why is reported through its own alarms, not as a
            // read-back mismatch.
            let stoppedWithReason = expectsRunning && !observation.alarms.isEmpty && observation.state != .infusing
            readBackMismatch = !stoppedWithReason
        }
    }

    /// Whether the last command has gone unconfirmed for longer than the policy allows at `now`.
    func isUnconfirmed(at now: MonotonicInstant, policy: PumpSupervisionPolicy) -> Bool {
        guard let since = unconfirmedSince else { return false }
        return now - since > .configured(seconds: policy.confirmationTimeoutSeconds)
    }

    /// Forgets the read-back history once an operator has dealt with it (acknowledged and resumed).
    mutating func clearMismatch() {
        readBackMismatch = false
    }

    private static func matches(
        _ observation: PumpObservation,
        running: Bool,
        flow: MillilitresPerHour,
        policy: PumpSupervisionPolicy
    ) -> Bool {
        guard (observation.state == .infusing) == running, observation.state != .unknown else { return false }
        guard running, let reported = observation.rateMillilitresPerHour else { return true }
        let tolerance = max(policy.rateToleranceMillilitresPerHour, policy.rateToleranceFraction * flow.value)
        return abs(reported - flow.value) <= tolerance
    }
}

/// Timing and tolerance of the pump read-back.
public struct PumpSupervisionPolicy: Hashable, Sendable, Codable {
    /// A command not confirmed by a read-back within this time raises "command unconfirmed":
    /// communication is declared lost after 3 s without a valid reply (row 31).
    public var confirmationTimeoutSeconds: Double
    /// Absolute tolerance of a rate read-back: pumps are programmed to 0.01 mL/h (§2.2, Alaris).
    public var rateToleranceMillilitresPerHour: Double
    /// Relative tolerance for pumps that keep four significant digits. §6.3 asks for exact set-points;
    /// [D] 0.1 % absorbs only display rounding.
    public var rateToleranceFraction: Double

    public init(
        confirmationTimeoutSeconds: Double = 3,
        rateToleranceMillilitresPerHour: Double = 0.01,
        rateToleranceFraction: Double = 0.001
    ) {
        self.confirmationTimeoutSeconds = confirmationTimeoutSeconds
        self.rateToleranceMillilitresPerHour = rateToleranceMillilitresPerHour
        self.rateToleranceFraction = rateToleranceFraction
    }

    enum CodingKeys: String, CodingKey {
        case confirmationTimeoutSeconds, rateToleranceMillilitresPerHour, rateToleranceFraction
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = PumpSupervisionPolicy()
        confirmationTimeoutSeconds = try c.decode(.confirmationTimeoutSeconds, default: base.confirmationTimeoutSeconds)
        rateToleranceMillilitresPerHour = try c.decode(
            .rateToleranceMillilitresPerHour, default: base.rateToleranceMillilitresPerHour
        )
        rateToleranceFraction = try c.decode(.rateToleranceFraction, default: base.rateToleranceFraction)
    }
}
