/// A bolus the operator asks for: an extra dose pushed by the pump on top of the running infusion.
public struct BolusRequest: Hashable, Sendable, Codable {
    /// The extra dose, in mg/kg.
    public var dose: MilligramsPerKilogram
    /// Over how long the pump pushes it; nil takes the configured minimum (60 s by default).
    public var seconds: Double?
    /// Confirmation with a reason for soft limits the bolus exceeds.
    public var override: LimitOverride?

    public init(dose: MilligramsPerKilogram, seconds: Double? = nil, override: LimitOverride? = nil) {
        self.dose = dose
        self.seconds = seconds
        self.override = override
    }
}

/// A bolus being pushed: the pump runs at the program's flow plus the bolus's until `endsAt`, then
/// returns to the program's flow. Never resumed after it was cut short.
public struct RunningBolus: Hashable, Sendable, Codable {
    public var dose: Milligrams
    /// The pump's flow while the bolus runs (the program's flow plus the bolus's own).
    public var flow: MillilitresPerHour
    public var startedAt: MonotonicInstant
    public var endsAt: MonotonicInstant
}

/// A bolus started, ran its course, or was cut short (the infusion paused or stopped under it).
public struct BolusEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case started, finished, cancelled
    }

    public var kind: Kind
    /// The bolus dose asked for.
    public var dose: Milligrams
    /// The pump's flow during the bolus.
    public var flow: MillilitresPerHour
    public var seconds: Double
    /// When the push ends (or ended) as started.
    public var endsAt: MonotonicInstant
    /// The session's delivered dose at this moment (bolus and background together).
    public var deliveredDose: Milligrams
    /// Why a bolus was cut short: the state the session left infusing for.
    public var reason: String?
    public var time: MonotonicInstant
}
