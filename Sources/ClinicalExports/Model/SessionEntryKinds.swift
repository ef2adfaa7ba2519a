public import InfusionCore

/// The rate was changed (titration, or the start of the program).
public struct RateChangeEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// The new pump flow.
    public var flow: MillilitresPerHour
    /// The same rate in the program's dose unit.
    public var doseRate: DoseRate
    /// Who asked for it; nil for changes the core made on its own (e.g. an interlock).
    public var actor: OperatorIdentity?
    public var reason: String

    public init(
        time: UTCInstant, flow: MillilitresPerHour, doseRate: DoseRate, actor: OperatorIdentity?, reason: String
    ) {
        self.time = time
        self.flow = flow
        self.doseRate = doseRate
        self.actor = actor
        self.reason = reason
    }
}

/// A request met a drug-library limit (docs/CLINICAL-BASIS.md §2.1: every soft and hard limit event is kept).
public struct LimitEventEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// What was checked; its `unit` is the unit of `requested` and `limitValue`. (Not named `kind`:
    /// that key tags the entry in ``SessionEntry``'s flat JSON.)
    public var limit: LimitKind
    /// Refused by a hard limit, refused for want of a confirmation, or overridden with a reason.
    public var outcome: LimitOutcome
    public var side: LimitSide
    public var requested: Double
    public var limitValue: Double
    public var actor: OperatorIdentity?
    /// The operator's reason; present for a soft override.
    public var reason: String?

    public init(
        time: UTCInstant, limit: LimitKind, outcome: LimitOutcome, side: LimitSide, requested: Double,
        limitValue: Double, actor: OperatorIdentity?, reason: String?
    ) {
        self.time = time
        self.limit = limit
        self.outcome = outcome
        self.side = side
        self.requested = requested
        self.limitValue = limitValue
        self.actor = actor
        self.reason = reason
    }

    /// The entry for a core limit event, at the wall time the store recorded it.
    public init(time: UTCInstant, _ event: LimitEvent, actor: OperatorIdentity?) {
        self.init(
            time: time, limit: event.kind, outcome: event.outcome, side: event.side, requested: event.requested,
            limitValue: event.limit, actor: actor, reason: event.reason)
    }
}

/// A command sent to the pump.
public struct PumpCommandEntry: Hashable, Sendable, Codable {
    /// The command, in the core's domain terms.
    public enum Command: String, Hashable, Sendable, Codable {
        case setRate = "set-rate"
        case start
        case pause
        case stop
        case clearVolume = "clear-volume"
        case setSyringe = "set-syringe"
        case setTarget = "set-target"
    }

    public var time: UTCInstant
    public var command: Command
    /// The flow set, for `setRate`.
    public var flow: MillilitresPerHour?
    /// The syringe inside diameter set, mm, for `setSyringe`.
    public var syringeDiameterMillimetres: Double?
    /// The pump's infused counter at which it stops by itself, mL, for `setTarget`.
    public var targetInfusedMillilitres: Double?

    public init(
        time: UTCInstant, command: Command, flow: MillilitresPerHour? = nil, syringeDiameterMillimetres: Double? = nil
    ) {
        self.time = time
        self.command = command
        self.flow = flow
        self.syringeDiameterMillimetres = syringeDiameterMillimetres
    }

    /// The entry for a core pump command.
    public init(time: UTCInstant, _ command: PumpCommand) {
        switch command {
        case .setRate(let flow): self.init(time: time, command: .setRate, flow: flow)
        case .start: self.init(time: time, command: .start)
        case .pause: self.init(time: time, command: .pause)
        case .stop: self.init(time: time, command: .stop)
        case .clearVolume: self.init(time: time, command: .clearVolume)
        case .setSyringe(let diameter): self.init(time: time, command: .setSyringe, syringeDiameterMillimetres: diameter)
        case .setTarget(let target):
            self.init(time: time, command: .setTarget)
            targetInfusedMillilitres = target
        }
    }
}

/// What the pump reported when read back after a command or on a poll.
public struct PumpReadBackEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    public var flow: MillilitresPerHour
    /// The pump's cumulative delivered-volume counter.
    public var volumeDelivered: Millilitres
    public var isInfusing: Bool
    /// Whether it matched what was commanded (a mismatch is a technical alarm).
    public var matchesCommand: Bool

    public init(
        time: UTCInstant, flow: MillilitresPerHour, volumeDelivered: Millilitres, isInfusing: Bool, matchesCommand: Bool
    ) {
        self.time = time
        self.flow = flow
        self.volumeDelivered = volumeDelivered
        self.isInfusing = isInfusing
        self.matchesCommand = matchesCommand
    }
}

/// One reading of one vital sign. Its 11073 code and unit come from `parameter`.
public struct VitalEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    public var parameter: VitalParameter
    /// Nil when the monitor sent no number.
    public var value: Double?
    /// Validity flags; empty for a valid reading.
    public var flags: VitalSignFlags

    public init(time: UTCInstant, parameter: VitalParameter, value: Double?, flags: VitalSignFlags = []) {
        self.time = time
        self.parameter = parameter
        self.value = value
        self.flags = flags
    }

    /// The entry for a driver's reading, at the wall time the store recorded it.
    public init(time: UTCInstant, _ sign: VitalSign) {
        self.init(time: time, parameter: sign.parameter, value: sign.value, flags: sign.flags)
    }

    /// Whether the reading carries no flag that makes it untrustworthy.
    public var isValid: Bool { value != nil && flags.isDisjoint(with: .untrustworthy) }
}

/// A predicted plasma concentration (an estimate from the PK model, never a measurement).
public struct ConcentrationEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// Predicted plasma concentration in ng/mL.
    public var nanogramsPerMillilitre: Double

    public init(time: UTCInstant, nanogramsPerMillilitre: Double) {
        self.time = time
        self.nanogramsPerMillilitre = nanogramsPerMillilitre
    }
}

/// The daemon restarted and rebuilt the session from the store.
public struct RecoveryEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// Why recovery ran, as a stable word (e.g. "crash", "power-loss").
    public var cause: String
    /// The dose the last record held, and the dose after reconciling with the pump's counter.
    public var recordedDose: Milligrams
    public var reconciledDose: Milligrams
    /// The pump's delivered-volume counter when read back, where it could be read.
    public var pumpVolumeDelivered: Millilitres?
    /// The pump had stopped itself (e.g. its safe-mode timeout expired).
    public var pumpFoundStopped: Bool
    /// Who acknowledged the recovery alarm, once someone has.
    public var acknowledgedBy: OperatorIdentity?

    public init(
        time: UTCInstant, cause: String, recordedDose: Milligrams, reconciledDose: Milligrams,
        pumpVolumeDelivered: Millilitres? = nil, pumpFoundStopped: Bool, acknowledgedBy: OperatorIdentity? = nil
    ) {
        self.time = time
        self.cause = cause
        self.recordedDose = recordedDose
        self.reconciledDose = reconciledDose
        self.pumpVolumeDelivered = pumpVolumeDelivered
        self.pumpFoundStopped = pumpFoundStopped
        self.acknowledgedBy = acknowledgedBy
    }
}

/// The patient was discharged.
public struct DischargeEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    public var actor: OperatorIdentity?
    /// Modified Aldrete total (0–10), where scored.
    public var aldreteTotal: Int?
    public var note: String?

    public init(time: UTCInstant, actor: OperatorIdentity?, aldreteTotal: Int? = nil, note: String? = nil) {
        self.time = time
        self.actor = actor
        self.aldreteTotal = aldreteTotal
        self.note = note
    }
}
