package import WireProtocol

/// Everything `infusionctl top` shows, folded from the daemon's hello, `status` and `devices` replies
/// and its chair events. Pure: "now" is the daemon's time as carried in each event (wall-clock
/// nanoseconds since the epoch, from the protocol's ISO 8601 times), advanced between events by the
/// caller's monotonic clock. `infusionctl top` renders it; a central station can fold the same way.
package struct DashboardModel: Sendable {
    /// How long a vital's history is kept for its sparkline (the issue asks for 15 minutes).
    static let historyNanoseconds: Int64 = 15 * 60 * 1_000_000_000

    /// The connection to the daemon as the dashboard last knew it.
    package enum Link: Sendable, Equatable {
        case connecting
        case connected
        case lost(String)
    }

    package var link: Link = .connecting
    package var daemonVersion: String?
    package var role: Role?
    package var chairs: [String: ChairPanel] = [:]
    /// The latest daemon time seen in any event: "now" for ages and history windows.
    package var now: Int64 = 0
    private var localNanoseconds: Int64 = 0

    /// Moves "now" on to the daemon time matching `localNanoseconds`, once the offset is known.
    package init() {}

    package mutating func advance(toLocal localNanoseconds: Int64) {
        guard let clockOffset else { return }
        now = max(now, localNanoseconds + clockOffset)
    }

    /// Chair identifiers in display order (numeric where they are numbers).
    package var chairIDs: [String] {
        chairs.keys.sorted { lhs, rhs in
            if let left = Int(lhs), let right = Int(rhs) { return left < right }
            return lhs < rhs
        }
    }

    /// The daemon's clock minus this process's monotonic clock, learnt from the `status` reply, so ages
    /// and time left keep counting between events.
    package var clockOffset: Int64?

    /// Folds one message from the daemon, received at `localNanoseconds` of this process's monotonic clock.
    package mutating func apply(_ message: IncomingMessage, localNanoseconds: Int64) {
        self.localNanoseconds = localNanoseconds
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
            daemonVersion = result["daemon"]?.stringValue ?? daemonVersion
            let list: [ChairStatus]
            do {
                list = try LineCoding.convert(result["chairs"] ?? .null, to: [ChairStatus].self)
            } catch {
                link = .lost("the daemon's status could not be read as protocol 2: \(error)")
                return
            }
            for chair in list {
                let time = ChairPanel.nanoseconds(chair.time)
                now = max(now, time)
                clockOffset = time - localNanoseconds
                chairs[chair.id, default: ChairPanel(id: chair.id)].applyStatus(chair)
            }
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
