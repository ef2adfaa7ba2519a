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
    /// The interlock paused the pump, or waits for a confirming reading.
    case interlock
    /// A chair's recovery checkpoint: what a restarted daemon rebuilds the session from.
    case checkpoint
    /// A session rebuilt after a restart, and its dose reconciled with the pump.
    case restart
    /// A chair role started driving an adapter (first found, replugged or adopted): what it remembers.
    case deviceBinding = "device-binding"
    /// A bolus started, finished, or was cut short.
    case bolus
    /// The pump driver could not confirm a command (reason and message).
    case pumpFailure = "pump-failure"
    /// Delivery became uncertain, changed reason, or became certain again.
    case deliveryCertainty = "delivery-certainty"
}
