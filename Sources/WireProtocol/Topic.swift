/// The event streams a client can `watch`. Each event names its topic.
public enum Topic: String, Sendable, Hashable, Codable, CaseIterable {
    /// Device discovery and link state changes.
    case devices
    /// Vital-sign readings from patient monitors.
    case vitals
    /// Pump commands, read-backs, rates and delivered volume.
    case pump
    /// Alarm transitions: raised, acknowledged, audio-paused, cleared, escalated.
    case alarms
    /// Chair session state changes: intake, programmed, infusing, paused, recovery, discharge.
    case session
    /// Clinic-wide notices sent by an administrator, and daemon announcements.
    case notices
}
