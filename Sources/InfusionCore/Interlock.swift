/// What the interlock does when a rule matches.
public enum InterlockAction: String, Hashable, Sendable, Codable {
    /// Pause the pump now (rate 0, program kept): the safe state "not infusing, alarm active".
    case pauseInfusion
}

/// One rule from alarms to an action. An alarm matches when it is active (not merely latched), its
/// priority is at least `minimumPriority`, and it is in `conditions` (when given) and of `category`
/// (when given).
public struct InterlockRule: Hashable, Sendable, Codable {
    public var name: String
    public var conditions: Set<AlarmCondition>?
    public var category: AlarmCategory?
    public var minimumPriority: AlarmPriority
    public var action: InterlockAction

    public init(
        name: String,
        conditions: Set<AlarmCondition>? = nil,
        category: AlarmCategory? = nil,
        minimumPriority: AlarmPriority,
        action: InterlockAction = .pauseInfusion
    ) {
        self.name = name
        self.conditions = conditions
        self.category = category
        self.minimumPriority = minimumPriority
        self.action = action
    }

    func matches(_ alarm: AlarmState) -> Bool {
        alarm.isConditionPresent && alarm.priority >= minimumPriority
            && (conditions?.contains(alarm.condition) ?? true)
            && (category.map { $0 == alarm.condition.category } ?? true)
    }
}

/// The interlock's configuration. A paused pump never resumes by itself: only an operator's resume,
/// after every alarm that caused the pause is acknowledged and no longer present.
public struct InterlockPolicy: Hashable, Sendable, Codable {
    public var rules: [InterlockRule]
    /// Wait for a second consecutive cuff reading past the high threshold before pausing for blood
    /// pressure alone, to reject cuff artefact (docs/CLINICAL-BASIS.md §1.7 [D]): the next cuff reading
    /// is the confirming one, and the nurse is asked to start it (`InterlockEvent.Kind`). Off by
    /// default: on doubt the safe state wins, and the alarm itself is raised on the first reading either way.
    public var confirmBloodPressureBeforePause: Bool

    public init(rules: [InterlockRule] = InterlockPolicy.defaultRules, confirmBloodPressureBeforePause: Bool = false) {
        self.rules = rules
        self.confirmBloodPressureBeforePause = confirmBloodPressureBeforePause
    }

    /// Defaults (docs/CLINICAL-BASIS.md §1.7 [D], §6.3): a high physiological alarm pauses; lost or stale vitals
    /// pause; a pump that cannot be trusted (link lost, read-back mismatch, unconfirmed command,
    /// occlusion, stall, fault, empty, volume divergence) pauses.
    public static let defaultRules: [InterlockRule] = [
        InterlockRule(name: "high-physiological", category: .physiological, minimumPriority: .high),
        InterlockRule(name: "vitals-lost-or-stale", conditions: [.monitorLinkLost, .staleVitals], minimumPriority: .low),
        InterlockRule(
            name: "pump-untrusted",
            conditions: [
                .pumpLinkLost, .readBackMismatch, .commandUnconfirmed, .pumpOcclusion, .pumpStall, .pumpFault,
                .pumpSyringeEmpty, .volumeDivergence,
            ],
            minimumPriority: .high
        ),
    ]

    enum CodingKeys: String, CodingKey {
        case rules, confirmBloodPressureBeforePause
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decode(.rules, default: Self.defaultRules)
        confirmBloodPressureBeforePause = try c.decode(.confirmBloodPressureBeforePause, default: false)
    }

    /// Whether `alarm` demands a pause now. A blood-pressure alarm waits for its confirming reading
    /// when configured to.
    func demandsPause(_ alarm: AlarmState, consecutiveHighReadings: Int) -> Bool {
        guard rules.contains(where: { $0.action == .pauseInfusion && $0.matches(alarm) }) else { return false }
        if confirmBloodPressureBeforePause && alarm.condition.isBloodPressure && !alarm.isEscalated {
            return consecutiveHighReadings >= 2
        }
        return true
    }
}

/// The interlock acted, or is waiting for a confirming reading before it acts.
public struct InterlockEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The pump was paused because of `causes`.
        case paused
        /// A blood-pressure alarm awaits a confirming cuff reading before it pauses: the next cuff
        /// reading decides. No supported monitor protocol can start a cuff measurement
        /// (docs/SIMULATORS.md, "Starting a cuff measurement"), so the nurse is asked to start one
        /// (`status` and `infusionctl top` show the request until `awaitingConfirmingReadingEnded`).
        case awaitingConfirmingReading
        /// No confirming reading is awaited any more: it came and paused the pump (a `paused` event
        /// precedes this one), the condition ended, or drug stopped flowing.
        case awaitingConfirmingReadingEnded
    }

    public var kind: Kind
    public var causes: [AlarmCondition]
    public var time: MonotonicInstant
}
