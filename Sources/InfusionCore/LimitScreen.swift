/// What a limit applies to; the unit is fixed per kind.
public enum LimitKind: String, Hashable, Sendable, Codable {
    case doseRate  // mg/kg/h
    case absoluteDoseRate  // mg/h
    case flowRate  // mL/h
    case sessionDose  // mg/kg
    case absoluteSessionDose  // mg
    case bolus  // mg/kg
    case weight  // kg
    case predictedConcentration  // ng/mL
    case concentration  // mg/mL, allowed list only (hard)
    case titrationStep  // mg/kg/h: how much a rate rises in one change
    case titrationInterval  // s: time since the last increase
    // The cross-session limits (SeriesLimits), checked at intake.
    case sessionInterval  // h: time since the patient's last infusion started
    case sessionsInWindow  // sessions in the rolling window, counting the one taken in
    case weightChange  // fraction of the last session's weight

    /// Whether the limit is on the cumulative session dose (per kilogram or absolute).
    public var isSessionDose: Bool { self == .sessionDose || self == .absoluteSessionDose }

    /// Whether the limit is one of the cross-session limits (``SeriesLimits``).
    public var isSeries: Bool { self == .sessionInterval || self == .sessionsInWindow || self == .weightChange }

    /// The unit `requested` and `limit` are in.
    public var unit: String {
        switch self {
        case .doseRate, .titrationStep: MilligramsPerKilogramPerHour.symbol
        case .absoluteDoseRate: MilligramsPerHour.symbol
        case .absoluteSessionDose: Milligrams.symbol
        case .flowRate: MillilitresPerHour.symbol
        case .sessionDose, .bolus: MilligramsPerKilogram.symbol
        case .weight: Kilograms.symbol
        case .predictedConcentration: "ng/mL"
        case .concentration: MilligramsPerMillilitre.symbol
        case .titrationInterval: "s"
        case .sessionInterval: "h"
        case .sessionsInWindow: "sessions"
        case .weightChange: "fraction"
        }
    }
}

/// An operator's confirmation that a soft limit is meant to be exceeded, and why (docs/CLINICAL-BASIS.md §2.1,
/// §2.3 item 3: a reason for every override).
public struct LimitOverride: Hashable, Sendable, Codable {
    /// Free-text or coded reason; must not be blank.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    /// Whether the override carries a usable reason.
    public var hasReason: Bool { reason.contains { !$0.isWhitespace } }
}

/// How a limit check ended.
public enum LimitOutcome: String, Hashable, Sendable, Codable {
    /// A hard limit refused the request; nothing changed.
    case hardRefused
    /// A soft limit refused the request for lack of a confirmation with a reason; nothing changed.
    case softRefused
    /// A soft limit was exceeded with a confirmation and reason; the request went ahead.
    case softOverridden
}

/// One limit event, recorded for quality review (docs/CLINICAL-BASIS.md §2.1: every soft and hard limit event).
public struct LimitEvent: Hashable, Sendable, Codable {
    public var kind: LimitKind
    public var outcome: LimitOutcome
    public var side: LimitSide
    /// The value requested, in `kind.unit`.
    public var requested: Double
    /// The limit it was held against, in `kind.unit`.
    public var limit: Double
    /// The override reason, when one was given.
    public var reason: String?
    public var operatorID: String
    public var profileID: String
    public var libraryVersion: String
    public var time: MonotonicInstant
}

/// One value to hold against one band.
struct LimitCheck {
    var kind: LimitKind
    var value: Double
    var band: LimitBand
}

/// Screens a command's values against their limits all at once, so the operator hears about every
/// limit a request breaks, not just the first.
struct LimitScreen {
    var operatorID: String
    var profileID: String
    var libraryVersion: String
    var time: MonotonicInstant

    /// The events to record and, when the request must be refused, the error to answer with.
    func screen(_ checks: [LimitCheck], override: LimitOverride?) -> (events: [LimitEvent], refusal: CoreError?) {
        var hard: [LimitEvent] = []
        var soft: [LimitEvent] = []
        for check in checks {
            switch check.band.classify(check.value) {
            case .within:
                continue
            case .hardExceeded(let side, let limit):
                hard.append(event(check, .hardRefused, side, limit, reason: nil))
            case .softExceeded(let side, let limit):
                soft.append(event(check, .softRefused, side, limit, reason: nil))
            }
        }
        if let first = hard.first {
            return (hard, .hardLimit(first))
        }
        guard let first = soft.first else { return ([], nil) }
        guard let override, override.hasReason else {
            return (soft, .softLimitNeedsOverride(first, reasonMissing: override != nil))
        }
        let accepted = soft.map { event -> LimitEvent in
            var accepted = event
            accepted.outcome = .softOverridden
            accepted.reason = override.reason
            return accepted
        }
        return (accepted, nil)
    }

    private func event(
        _ check: LimitCheck,
        _ outcome: LimitOutcome,
        _ side: LimitSide,
        _ limit: Double,
        reason: String?
    ) -> LimitEvent {
        LimitEvent(
            kind: check.kind, outcome: outcome, side: side, requested: check.value, limit: limit, reason: reason,
            operatorID: operatorID, profileID: profileID, libraryVersion: libraryVersion, time: time
        )
    }
}
