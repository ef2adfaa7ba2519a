/// Every command of protocol v1, the role it needs and a one-line summary. The daemon dispatches
/// from it, `help` prints it, and docs/PROTOCOL.md describes each entry.
public enum CommandName: String, CaseIterable, Sendable {
    case hello, version, ping, help, status, devices, watch, unwatch, notice

    /// The least role allowed to run the command.
    public var requiredRole: Role {
        switch self {
        case .hello, .version, .ping, .help, .status, .devices, .watch, .unwatch: .viewer
        case .notice: .admin
        }
    }

    /// A one-line description for `help`.
    public var summary: String {
        switch self {
        case .hello, .version: "protocol and daemon version, and this connection's role"
        case .ping: "liveness check; replies at once"
        case .help: "this list"
        case .status: "daemon summary: uptime, clients, devices, chairs"
        case .devices: "known serial devices with identity, driver, chair and link state"
        case .watch: "subscribe to topics: {\"cmd\":\"watch\",\"topics\":[\"alarms\",\"vitals\"]}"
        case .unwatch: "unsubscribe from topics, or from all when none are named"
        case .notice: "send a clinic-wide notice to watchers of 'notices': {\"cmd\":\"notice\",\"text\":\"...\"}"
        }
    }

    /// The catalogue as `help` returns it.
    public static var catalogue: HelpInfo {
        HelpInfo(commands: allCases.map { CommandHelp(cmd: $0.rawValue, role: $0.requiredRole, summary: $0.summary) })
    }
}
