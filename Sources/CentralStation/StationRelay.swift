package import InfusionDashboard
package import WireProtocol

/// The central station's pure heart: folds what infusiond sends into `infusionctl top`'s model, keeps the
/// event cursor, says what to ask the daemon, and turns changes into numbered messages for browsers.
/// It does no I/O and reads no clock: the shell passes both clocks in.
package struct StationRelay: Sendable {
    /// The daemon link as the page shows it.
    package struct LinkView: Encodable, Equatable, Sendable {
        /// `connected`, `connecting` (first connection, or catching up after a reconnect) or `lost`.
        package var state: String
        package var reason: String?
        /// When it entered this state (ms since the epoch).
        package var since: Int64
    }

    private struct SnapshotData: Encodable {
        var seq: UInt64?
        var serverTime: Int64
        var daemon: LinkView
        var chairs: [ChairTile]
    }

    private struct ChairData: Encodable {
        var seq: UInt64?
        var serverTime: Int64
        var chair: ChairTile
    }

    private struct DaemonData: Encodable {
        var seq: UInt64?
        var serverTime: Int64
        var daemon: LinkView
    }

    private struct HeartbeatData: Encodable {
        var seq: UInt64?
        var serverTime: Int64
    }

    package private(set) var model = DashboardModel()
    /// The newest event `seq` folded: a reconnect resumes after it with `watch` `since`.
    package private(set) var cursor: UInt64?
    package private(set) var log: RelayLog
    /// Tells this run's relay numbers from another's in browsers' `Last-Event-ID`.
    package let epoch: String
    /// True from a (re)connection until its `status` reply arrives: the page says "catching up" meanwhile.
    private var awaitingStatus = true
    private var publishedTiles: [String: ChairTile] = [:]
    private var publishedLink: LinkView?

    /// Whether tiles show the patient's identifier whole (otherwise masked, `ChairTile.patient`).
    package let showPatientID: Bool

    package init(epoch: String, logCapacity: Int = 2048, showPatientID: Bool = false) {
        self.epoch = epoch
        self.showPatientID = showPatientID
        log = RelayLog(capacity: logCapacity)
    }

    /// What to send on a new connection to infusiond: watch every topic (after the cursor, once there is
    /// one, so nothing is missed across the reconnect), then read `status` and `devices`, which carry
    /// what events do not (alarms raised before, each vital's source and maximum age, device links).
    package mutating func connected() -> [Request] {
        awaitingStatus = true
        var watch: [String: JSONValue] = ["topics": .array(Topic.allCases.map { .string($0.rawValue) })]
        if let cursor { watch["since"] = .integer(Int64(clamping: cursor)) }
        return [Request(command: "watch", fields: watch)] + Self.reread
    }

    /// Asked again every few seconds while connected, as `infusionctl top` does.
    package static let reread = [Request(command: "status"), Request(command: "devices")]

    /// Folds one message from infusiond, received at `localNanoseconds` of the shell's monotonic clock,
    /// and returns what must be asked of the daemon because of it (`status` after a `gap`).
    package mutating func receive(_ message: IncomingMessage, localNanoseconds: Int64) -> [Request] {
        model.apply(message, localNanoseconds: localNanoseconds)
        switch message {
        case .event(_, _, let seq?, _):
            cursor = max(cursor ?? 0, seq)
        case .event(ConnectionEvent.gap, _, nil, _):
            // Events in the gap are lost for good: the daemon's present state replaces what they would have said.
            return model.statusRequests() + [Request(command: CommandName.devices.rawValue)]
        case .reply("status", _, true, _, _):
            awaitingStatus = false
        default:
            break
        }
        // A chair event says its chair changed: its picture is the daemon's `status` (the core's model).
        return model.statusRequests()
    }

    /// The connection to infusiond ended or could not be made.
    package mutating func lost(_ reason: String) {
        if case .lost = model.link { return }
        model.link = .lost(reason)
    }

    /// The daemon link as the page shows it, at `wallMilliseconds`.
    private func linkView(at wallMilliseconds: Int64) -> LinkView {
        let (state, reason): (String, String?) = switch model.link {
        case .connecting: ("connecting", "connecting to infusiond")
        case .connected: awaitingStatus ? ("connecting", "catching up with infusiond") : ("connected", nil)
        case .lost(let why): ("lost", why)
        }
        if let publishedLink, publishedLink.state == state, publishedLink.reason == reason { return publishedLink }
        return LinkView(state: state, reason: reason, since: wallMilliseconds)
    }

    /// The tiles at the model's present.
    private func tiles() -> [ChairTile] {
        model.chairIDs.compactMap { id in model.chairs[id].map { ChairTile($0, now: model.now, showPatientID: showPatientID) } }
    }

    /// Moves the model to `localNanoseconds` and returns the messages for what changed since the last
    /// publish, numbered and kept in the log: a `snapshot` when the set of chairs changed, otherwise one
    /// `chair` message per changed tile, and `daemon` when the link changed.
    package mutating func publish(localNanoseconds: Int64, wallMilliseconds: Int64) -> [RelayMessage] {
        model.advance(toLocal: localNanoseconds)
        var messages: [RelayMessage] = []
        let link = linkView(at: wallMilliseconds)
        let tiles = tiles()
        if Set(tiles.map(\.id)) != Set(publishedTiles.keys) {
            let data = SnapshotData(seq: cursor, serverTime: wallMilliseconds, daemon: link, chairs: tiles)
            messages.append(log.append(event: "snapshot", data: LineCoding.encodedData(data)))
        } else {
            if link != publishedLink {
                let data = DaemonData(seq: cursor, serverTime: wallMilliseconds, daemon: link)
                messages.append(log.append(event: "daemon", data: LineCoding.encodedData(data)))
            }
            for tile in tiles where publishedTiles[tile.id] != tile {
                let data = ChairData(seq: cursor, serverTime: wallMilliseconds, chair: tile)
                messages.append(log.append(event: "chair", data: LineCoding.encodedData(data)))
            }
        }
        publishedLink = link
        publishedTiles = Dictionary(uniqueKeysWithValues: tiles.map { ($0.id, $0) })
        return messages
    }

    /// What a browser connecting with `lastEventID` must be sent first: what it missed when this run's log
    /// still holds it, otherwise a snapshot of what was last published (numbered as the newest message, so
    /// the browser resumes after it next time).
    package func resume(lastEventID: String?, wallMilliseconds: Int64) -> [RelayMessage] {
        if let number = ServerSentEvents.relayNumber(lastEventID: lastEventID, epoch: epoch),
            let missed = log.messages(after: number)
        {
            return missed
        }
        let chairs = model.chairIDs.compactMap { publishedTiles[$0] }
        let data = SnapshotData(
            seq: cursor, serverTime: wallMilliseconds, daemon: publishedLink ?? linkView(at: wallMilliseconds),
            chairs: chairs)
        return [RelayMessage(number: log.lastNumber, event: "snapshot", data: LineCoding.encodedData(data))]
    }

    /// The heartbeat's data: the page takes a silent stream for a lost one.
    package func heartbeat(wallMilliseconds: Int64) -> [UInt8] {
        LineCoding.encodedData(HeartbeatData(seq: cursor, serverTime: wallMilliseconds))
    }
}
