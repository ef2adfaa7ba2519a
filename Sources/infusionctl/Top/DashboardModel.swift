import WireProtocol

/// Everything `infusionctl top` shows, folded from the daemon's hello, `status` and `devices` replies
/// and its chair events. Pure: time is the daemon's monotonic clock as carried in each event.
struct DashboardModel: Sendable {
    /// How long a vital's history is kept for its sparkline (the issue asks for 15 minutes).
    static let historyNanoseconds: Int64 = 15 * 60 * 1_000_000_000

    /// The connection to the daemon as the dashboard last knew it.
    enum Link: Sendable, Equatable {
        case connecting
        case connected
        case lost(String)
    }

    var link: Link = .connecting
    var daemonVersion: String?
    var role: Role?
    var chairs: [String: ChairPanel] = [:]
    /// The latest daemon time seen in any event: "now" for ages and history windows.
    var now: Int64 = 0

    /// Chair identifiers in display order (numeric where they are numbers).
    var chairIDs: [String] {
        chairs.keys.sorted { lhs, rhs in
            if let left = Int(lhs), let right = Int(rhs) { return left < right }
            return lhs < rhs
        }
    }

    /// Folds one message from the daemon.
    mutating func apply(_ message: IncomingMessage) {
        switch message {
        case .reply(let command, _, true, let result?, _):
            applyReply(command, result)
        case .event(let name, _, _, let data):
            applyEvent(name, data)
        default:
            break
        }
    }

    private mutating func applyReply(_ command: String, _ result: JSONValue) {
        switch command {
        case "status":
            guard let status = try? LineCoding.convert(result, to: StatusInfo.self) else { return }
            daemonVersion = status.daemon
            for chair in status.chairs { chairs[chair.id, default: ChairPanel(id: chair.id)].state = chair.state }
        case "devices":
            guard let list = try? LineCoding.convert(result, to: DeviceList.self) else { return }
            for device in list.devices {
                guard let chair = device.chair else { continue }
                chairs[chair, default: ChairPanel(id: chair)].devices[device.role ?? device.path] = device.link
            }
        case "hello":
            applyHello(result)
        default:
            break
        }
    }

    private mutating func applyHello(_ data: JSONValue) {
        guard let hello = try? LineCoding.convert(data, to: HelloInfo.self) else { return }
        daemonVersion = hello.daemon
        role = hello.role
        link = .connected
    }

    private mutating func applyEvent(_ name: String, _ data: JSONValue) {
        if name == ConnectionEvent.hello { return applyHello(data) }
        if name == ConnectionEvent.shutdown || name == ConnectionEvent.overflow {
            link = .lost(data["reason"]?.stringValue ?? name)
            return
        }
        guard let chair = data["chair"]?.stringValue, let detail = data["detail"] else { return }
        if let time = detail["time"]?.nanoseconds, time > now { now = time }
        var panel = chairs[chair] ?? ChairPanel(id: chair)
        panel.apply(event: name, detail: detail, now: now)
        chairs[chair] = panel
    }
}
