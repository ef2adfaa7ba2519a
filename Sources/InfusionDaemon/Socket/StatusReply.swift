internal import InfusionCore
internal import WireProtocol

/// The result of `status`: `StatusInfo`'s summary with each chair in full, as of one instant
/// (`ChairSnapshot.status(at:freshness:clock:)`), so a client that connects late — a dashboard — sees the session,
/// the delivery, every vital with its age and the alarms raised before it came. Clients that decode
/// `StatusInfo` still read it: a chair keeps its `id` and `state`.
struct StatusReply: Encodable, Sendable {
    var summary: StatusInfo
    var chairs: [ChairStatus]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary.daemon, forKey: .daemon)
        try container.encode(summary.protocol, forKey: .protocol)
        try container.encode(summary.pid, forKey: .pid)
        try container.encode(summary.uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(summary.clients, forKey: .clients)
        try container.encode(summary.watchers, forKey: .watchers)
        try container.encode(summary.devices, forKey: .devices)
        try container.encode(chairs, forKey: .chairs)
        try container.encodeIfPresent(summary.audit, forKey: .audit)
        try container.encodeIfPresent(summary.controlTicks, forKey: .controlTicks)
        try container.encodeIfPresent(summary.missedTicks, forKey: .missedTicks)
    }

    /// The keys of `StatusInfo`, spelled as it spells them.
    enum CodingKeys: String, CodingKey {
        case daemon, `protocol`, pid, clients, watchers, devices, chairs, audit
        case uptimeSeconds, controlTicks, missedTicks
    }
}
