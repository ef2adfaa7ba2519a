package import WireProtocol

/// Everything `infusionctl top` and the central station show: each chair as the daemon's `status` shows it (the
/// core's one model of the chair; a chair event only says that the chair changed, and `statusRequests()` asks
/// for it again), the vitals' history from `vital` events, the pumps' read-backs, and the device links from
/// `devices` and device events. Pure: "now" is the daemon's time as carried in each message (wall-clock
/// nanoseconds since the epoch, from the protocol's ISO 8601 times), advanced between messages by the caller's
/// monotonic clock.
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
    /// A chair event said a chair changed since the last `status` was asked for.
    private var statusWanted = false
    /// A `status` asked for by `statusRequests()` has not been answered yet.
    private var statusOutstanding = false

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
        case .reply(let command, _, let ok, let result, _):
            if command == CommandName.status.rawValue { statusOutstanding = false }
            if ok, let result { applyReply(command, result) }
        case .event(let name, _, _, let data):
            applyEvent(name, data)
        }
    }

    /// What the shell should ask the daemon now: `status`, once a chair event said a chair changed and no
    /// `status` asked for here is still unanswered (so a burst of events costs one round trip). Call after
    /// folding what was received; the requests returned count as sent.
    package mutating func statusRequests() -> [Request] {
        guard statusWanted, !statusOutstanding, case .connected = link else { return [] }
        statusWanted = false
        statusOutstanding = true
        return [Request(command: CommandName.status.rawValue)]
    }

    private mutating func applyReply(_ command: String, _ result: JSONValue) {
        switch CommandName(rawValue: command) {
        case .status:
            let status: StatusInfo
            do {
                status = try LineCoding.convert(result, to: StatusInfo.self)
            } catch {
                link = .lost("the daemon's status could not be read as protocol 2: \(error)")
                return
            }
            daemonVersion = status.daemon
            for chair in status.chairs {
                let time = ChairPanel.nanoseconds(chair.time)
                now = max(now, time)
                clockOffset = time - localNanoseconds
                chairs[chair.id, default: ChairPanel(id: chair.id)].applyStatus(chair)
            }
        case .devices:
            guard let list = try? LineCoding.convert(result, to: DeviceList.self) else { return }
            for device in list.devices {
                guard let chair = device.chair else { continue }
                chairs[chair, default: ChairPanel(id: chair)].devices[device.role ?? device.path] = device.link
            }
        case .hello:
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
        if name == ConnectionEvent.hello {
            // A new connection: nothing asked on the previous one will be answered.
            statusOutstanding = false
            return applyHello(data)
        }
        if name == ConnectionEvent.shutdown || name == ConnectionEvent.overflow {
            let notice = try? LineCoding.convert(data, to: ClosingNotice.self)
            link = .lost(notice?.reason ?? name)
            return
        }
        // A gap (events lost for good), or an event of a newer daemon this one does not know: a chair may have
        // changed unseen.
        guard let event = EventName(rawValue: name) else {
            statusWanted = true
            return
        }
        switch event {
        case .vital:
            guard let vital = try? LineCoding.convert(data, to: ChairEventData<VitalData>.self) else { return }
            advance(to: ChairPanel.nanoseconds(vital.detail.time))
            chairs[vital.chair, default: ChairPanel(id: vital.chair)].apply(vital.detail, now: now)
        case .pumpReadback:
            guard let readback = try? LineCoding.convert(data, to: ChairEventData<PumpReadbackData>.self) else { return }
            advance(to: ChairPanel.nanoseconds(readback.detail.time))
            chairs[readback.chair, default: ChairPanel(id: readback.chair)].apply(readback.detail)
        case .deviceUp, .deviceDown, .deviceAdded, .deviceRemoved, .deviceAdopted, .deviceRefused:
            guard let device = try? LineCoding.convert(data, to: DeviceSummary.self), let chair = device.chair else { return }
            chairs[chair, default: ChairPanel(id: chair)].devices[device.role ?? device.path] = device.link
        default:
            if event.changesChairStatus { statusWanted = true }
        }
    }

    private mutating func advance(to daemonTime: Int64) {
        if daemonTime > now { now = daemonTime }
    }
}
