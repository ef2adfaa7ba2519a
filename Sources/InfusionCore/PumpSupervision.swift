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
    /// The halt (pause or stop) last commanded; it is repeated until a read-back shows the pump still.
    private(set) var lastHalt: PumpCommand?
    /// When the halt was last sent, to pace its repeats.
    private(set) var haltSentAt: MonotonicInstant?
    /// Why the driver last failed to confirm a command, until a read-back confirms the expectation.
    private(set) var failure: PumpCommandFailure.Reason?
    /// The latest read-back showed the pump moving although it was told to halt.
    private(set) var isRunningAgainstHalt = false
    /// The phase target last sent, on the pump's infused counter (mL).
    private(set) var phaseTarget: Double?
    /// The latest read-back showed the pump stopped by itself at its phase target: the phase's bound
    /// worked, which is not a read-back mismatch. The core's own accounts end the phase.
    private(set) var stoppedAtTarget = false

    /// The pump stopped where the core's accounts say the phase goes on: a read-back mismatch.
    mutating func flagMismatch() {
        stoppedAtTarget = false
        readBackMismatch = true
    }

    /// Records the phase target sent to the pump.
    mutating func targetSent(_ target: Double) {
        phaseTarget = target
    }

    /// Records that commands were sent which should leave the pump running at `flow` (or stopped).
    mutating func commandSent(running: Bool, flow: MillilitresPerHour, at now: MonotonicInstant) {
        expectsRunning = running
        expectedFlow = flow
        if running { lastHalt = nil }
        if unconfirmedSince == nil { unconfirmedSince = now }
    }

    /// Records that `halt` (pause or stop) was sent; `flow` is the program's, kept for a resume.
    mutating func haltSent(_ halt: PumpCommand, flow: MillilitresPerHour, at now: MonotonicInstant) {
        commandSent(running: false, flow: flow, at: now)
        lastHalt = halt
        haltSentAt = now
    }

    /// Whether the last halt has been confirmed by a read-back showing the pump still (true when no
    /// halt was sent).
    var isHaltConfirmed: Bool { lastHalt == nil || (unconfirmedSince == nil && !isRunningAgainstHalt) }

    /// Compares a read-back with the expectation. A report that disagrees while a command is still
    /// unconfirmed is not yet a mismatch: the pump may not have applied it.
    mutating func observe(_ observation: PumpObservation, policy: PumpSupervisionPolicy) {
        reportedAlarms = observation.alarms
        isRunningAgainstHalt = !expectsRunning && lastHalt != nil && observation.state == .infusing
        stoppedAtTarget = expectsRunning && observation.state != .infusing && observation.alarms.isEmpty
            && phaseTarget.map { target in (observation.infusedMillilitres ?? 0) >= target - Self.targetTolerance } == true
        let matches = stoppedAtTarget || Self.matches(observation, running: expectsRunning, flow: expectedFlow, policy: policy)
        if matches {
            unconfirmedSince = nil
            readBackMismatch = false
            failure = nil
        } else if unconfirmedSince == nil {
            // A pump that stopped itself and says why is reported through its own alarms, not as a
            // read-back mismatch.
            let stoppedWithReason = expectsRunning && !observation.alarms.isEmpty && observation.state != .infusing
            readBackMismatch = !stoppedWithReason
        }
    }

    /// The driver could not confirm a command: the command stays unconfirmed, whatever the core
    /// believed before.
    mutating func failed(_ reason: PumpCommandFailure.Reason, at now: MonotonicInstant) {
        failure = reason
        if unconfirmedSince == nil { unconfirmedSince = now }
    }

    /// The halt to send again at `now`, if any: after a failure at once, otherwise once
    /// `repeatInterval` has passed since the last one while the pump still runs or stays unconfirmed.
    func haltToRepeat(at now: MonotonicInstant, after failure: Bool, repeatInterval: Duration) -> PumpCommand? {
        guard let lastHalt, !expectsRunning, !isHaltConfirmed else { return nil }
        if failure { return lastHalt }
        guard let sent = haltSentAt, now - sent >= repeatInterval else { return nil }
        return lastHalt
    }

    /// Why delivery is uncertain at `now`, or nil when the pump's read-back confirms what it was told.
    /// A command merely in flight counts once the confirmation deadline has passed (row 31), so a
    /// command answered in the ordinary time does not flicker the chair's state.
    func uncertainty(pumpLinkUp: Bool, pumpInUse: Bool, at now: MonotonicInstant, policy: PumpSupervisionPolicy)
        -> DeliveryUncertainty.Reason?
    {
        if !pumpLinkUp && (pumpInUse || !isHaltConfirmed) { return .pumpLinkDown }
        if isRunningAgainstHalt { return .pumpRunningWhenHalted }
        if let failure {
            switch failure {
            case .notConfirmed, .linkDown: return .commandNotConfirmed
            case .notCarriedOut: return .commandNotCarriedOut
            case .readBackMismatch: return .readBackMismatch
            }
        }
        if readBackMismatch { return .readBackMismatch }
        if isUnconfirmed(at: now, policy: policy) { return .commandNotConfirmed }
        return nil
    }

    /// Whether the last command has gone unconfirmed for longer than the policy allows at `now`.
    func isUnconfirmed(at now: MonotonicInstant, policy: PumpSupervisionPolicy) -> Bool {
        guard let since = unconfirmedSince else { return false }
        return now - since > .configured(seconds: policy.confirmationTimeoutSeconds)
    }

    /// A counter at most this far below the target counts as at it, mL: the pumps print 0.001 mL and
    /// stop within a step of their target.
    static let targetTolerance = 0.002

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
    /// A halt (pause, stop) not yet confirmed is sent again this often, and at once after each
    /// failure the driver reports. Default 1 s: the pump poll period (row 30: keep-alive every
    /// second), so a repeat never outpaces the read-back that would confirm the previous one.
    public var haltRepeatSeconds: Double

    public init(
        confirmationTimeoutSeconds: Double = 3,
        rateToleranceMillilitresPerHour: Double = 0.01,
        rateToleranceFraction: Double = 0.001,
        haltRepeatSeconds: Double = 1
    ) {
        self.confirmationTimeoutSeconds = confirmationTimeoutSeconds
        self.rateToleranceMillilitresPerHour = rateToleranceMillilitresPerHour
        self.rateToleranceFraction = rateToleranceFraction
        self.haltRepeatSeconds = haltRepeatSeconds
    }

    enum CodingKeys: String, CodingKey {
        case confirmationTimeoutSeconds, rateToleranceMillilitresPerHour, rateToleranceFraction, haltRepeatSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = PumpSupervisionPolicy()
        confirmationTimeoutSeconds = try c.decode(.confirmationTimeoutSeconds, default: base.confirmationTimeoutSeconds)
        rateToleranceMillilitresPerHour = try c.decode(
            .rateToleranceMillilitresPerHour, default: base.rateToleranceMillilitresPerHour
        )
        rateToleranceFraction = try c.decode(.rateToleranceFraction, default: base.rateToleranceFraction)
        haltRepeatSeconds = try c.decode(.haltRepeatSeconds, default: base.haltRepeatSeconds)
    }
}
