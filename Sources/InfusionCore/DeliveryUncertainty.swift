/// Whether the core knows what the pump is delivering, published whenever that changes.
///
/// Delivery is uncertain while a pump command stays unconfirmed past its deadline, the driver
/// reports a failure, the pump runs although it was told to halt, or the pump's link is down while
/// it serves the session. A display shows the flow as unknown then, never as the commanded one or
/// 0 mL/h (ARCHITECTURE.md, "Safety rules").
public struct DeliveryUncertainty: Hashable, Sendable, Codable {
    /// Why delivery is uncertain; the raw values are the names on the wire.
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        /// The pump's link is down while it serves the session or a halt is unconfirmed.
        case pumpLinkDown = "pump-link-down"
        /// The pump reads as infusing although it was told to pause or stop.
        case pumpRunningWhenHalted = "pump-not-stopped"
        /// A command got no valid reply, or none within the confirmation deadline.
        case commandNotConfirmed = "command-not-confirmed"
        /// The pump refused a command or it could not be written.
        case commandNotCarriedOut = "command-not-carried-out"
        /// The pump's read-back differs from what it was told.
        case readBackMismatch = "read-back-mismatch"
    }

    /// Why, or nil once delivery is certain again.
    public var reason: Reason?
    /// Since when delivery has been uncertain (the first reason's instant); nil when certain.
    public var since: MonotonicInstant?
    public var time: MonotonicInstant

    public var isUncertain: Bool { reason != nil }

    public init(reason: Reason?, since: MonotonicInstant?, time: MonotonicInstant) {
        self.reason = reason
        self.since = since
        self.time = time
    }
}
