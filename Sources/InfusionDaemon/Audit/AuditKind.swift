/// What an audit record is about. The raw value is what the store keeps and what the hash covers, so it never
/// changes once released.
package enum AuditKind: String, Sendable, CaseIterable, Hashable {
    case session
    case operatorCommand = "operator-command"
    case limitEvent = "limit-event"
    case pumpCommand = "pump-command"
    case pumpReadback = "pump-readback"
    case alarmTransition = "alarm-transition"
    case deviceLink = "device-link"
    case vital
    case prediction
}
