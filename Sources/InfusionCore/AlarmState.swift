/// The state of one alarm condition that is active or latched.
public struct AlarmState: Hashable, Sendable, Codable {
    public var condition: AlarmCondition
    public var priority: AlarmPriority
    /// False once the trigger has ended and only the latched signal remains.
    public var isConditionPresent: Bool
    /// The operator acknowledged it: its audio is off until the condition ends (IEC 60601-1-8 A1).
    public var isAcknowledged: Bool
    /// Silenced by the audio pause in force when it was already active.
    public var isAudioPaused: Bool
    /// Raised at a lower priority and escalated because nobody acknowledged it.
    public var isEscalated: Bool
    public var raisedAt: MonotonicInstant

    /// Whether its auditory signal should sound now.
    public var isAudible: Bool { !isAcknowledged && !isAudioPaused }
    /// Whether the signal is latched (trigger over, not yet reset).
    public var isLatched: Bool { !isConditionPresent }
}

/// What happened to an alarm.
public enum AlarmTransition: String, Hashable, Sendable, Codable {
    /// The condition now exists (first time, or again after ending).
    case raised
    /// Its priority rose, because the condition worsened or nobody acknowledged a medium alarm.
    case escalated
    /// Its priority fell while the condition persists (non-latching conditions only).
    case deescalated
    /// The trigger ended; the latched signal remains until acknowledged.
    case latched
    /// An operator acknowledged it.
    case acknowledged
    /// The alarm is gone: trigger ended (non-latching), or latched and acknowledged.
    case cleared
}

/// One alarm transition, as published on the alarms topic and journalled.
public struct AlarmEvent: Hashable, Sendable, Codable {
    public var condition: AlarmCondition
    public var category: AlarmCategory
    public var transition: AlarmTransition
    public var priority: AlarmPriority
    /// Whether the alarm sounds after this transition.
    public var isAudible: Bool
    public var time: MonotonicInstant
}
