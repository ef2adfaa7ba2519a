/// Every topic event the daemon sends, by its name on the wire, with the topic it belongs to
/// (docs/PROTOCOL.md "Events"). The daemon publishes only these, so the topic of an event is fixed here, once;
/// clients switch over them instead of spelling names.
public enum EventName: String, Sendable, Hashable, Codable, CaseIterable {
    case sessionState = "session.state"
    case sessionRestored = "session.restored"
    case sessionReconciled = "session.reconciled"
    case sessionBolus = "session.bolus"
    case limit
    case observation
    case observationStatus = "observation.status"
    /// An as-needed medication was given at the chair.
    case medication
    case alarmRaised = "alarm.raised"
    case alarmEscalated = "alarm.escalated"
    case alarmDeescalated = "alarm.deescalated"
    case alarmLatched = "alarm.latched"
    case alarmAcknowledged = "alarm.acknowledged"
    case alarmCleared = "alarm.cleared"
    case alarmAudioPause = "alarm.audio-pause"
    case interlock
    case pumpDelivery = "pump.delivery"
    case pumpDeliveryCertainty = "pump.delivery-certainty"
    case pumpCommand = "pump.command"
    case pumpCommandFailed = "pump.command-failed"
    case pumpReadback = "pump.readback"
    case vital
    case deviceAdded = "device.added"
    case deviceRemoved = "device.removed"
    case deviceAdopted = "device.adopted"
    case deviceRefused = "device.refused"
    case deviceUp = "device.up"
    case deviceDown = "device.down"
    case notice

    /// The topic a client watches to receive it.
    public var topic: Topic {
        switch self {
        case .sessionState, .sessionRestored, .sessionReconciled, .sessionBolus, .limit, .observation, .observationStatus,
            .medication:
            .session
        case .alarmRaised, .alarmEscalated, .alarmDeescalated, .alarmLatched, .alarmAcknowledged, .alarmCleared,
            .alarmAudioPause:
            .alarms
        case .interlock, .pumpDelivery, .pumpDeliveryCertainty, .pumpCommand, .pumpCommandFailed, .pumpReadback:
            .pump
        case .vital: .vitals
        case .deviceAdded, .deviceRemoved, .deviceAdopted, .deviceRefused, .deviceUp, .deviceDown: .devices
        case .notice: .notices
        }
    }

    /// Whether the event tells of a change in a chair's own state (its session, alarms, delivery), which the
    /// daemon's `status` shows as the core's one model of the chair; device readings and links are not.
    public var changesChairStatus: Bool {
        switch topic {
        case .session, .alarms: true
        case .pump: self != .pumpReadback && self != .pumpCommand
        case .vitals, .devices, .notices: false
        }
    }
}
