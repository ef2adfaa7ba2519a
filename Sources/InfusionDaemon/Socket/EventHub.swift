internal import NIOCore
internal import Synchronization
package import WireProtocol

/// Where published events are kept for replay: the audit writer in the daemon (`AuditWriter+EventJournal.swift`),
/// nothing in tests and benchmarks that run without a store.
package protocol EventJournal: Sendable {
    /// Queues `event` to be made durable; never waits.
    func journal(_ event: EncodedEvent)
    /// Durable events numbered after `sequence`, in order, at most `limit`, of every topic.
    func events(after sequence: UInt64, limit: Int) async throws -> [EncodedEvent]
    /// The oldest event still kept, or nil when none is: numbers before it were pruned (or never used).
    func oldestJournalledSequence() async throws -> UInt64?
}

/// The registry of connected clients, the fan-out of events to those who watch a topic, and the event cursor.
///
/// Publishing numbers the event with the daemon's next `seq`, encodes and frames it once, queues it for the
/// journal and offers it to each watcher without waiting (queued on its outbox, or, for up to
/// ``directWritesPerPublish`` idle watchers, claimed for a write straight to the socket right after), all under one
/// lock so every watcher gets events in `seq` order: a slow client is cut off by its own outbox bound, never slowing
/// the publisher.
///
/// A client that watches with `since` is replayed what it missed before it goes live
/// (``replay(to:since:topics:)``): from the journal, then from the hub's memory of recent events, which covers
/// what is published but not yet durable. What neither holds is reported as a `gap`, never skipped silently.
package final class EventHub: Sendable {
    private struct State {
        var clients: [UInt64: ClientConnection] = [:]
        var lastSequence: UInt64
        /// The newest events, oldest first; at most `recentCapacity` events and `recentByteCapacity` bytes (or
        /// the newest event alone, when it is larger).
        var recent = CircularBuffer<EncodedEvent>()
        var recentBytes = 0
    }

    private let state: Mutex<State>
    private let nextID = Atomic<UInt64>(1)
    private let journal: (any EventJournal)?
    private let recentCapacity: Int
    private let recentByteCapacity: Int

    /// - Parameters:
    ///   - firstSequence: the number of the first event this hub publishes (the journal's run start).
    ///   - journal: where events are kept for replay across restarts; without one, only recent events replay.
    ///   - recentCapacity: how many of the newest events stay in memory for replay (at least 1).
    ///   - recentByteCapacity: how many bytes of them at most (large notices must not hold hundreds of MB; what
    ///     memory no longer holds replays from the journal, or is reported as a gap).
    package init(
        firstSequence: UInt64 = 1, journal: (any EventJournal)? = nil, recentCapacity: Int = 4096,
        recentByteCapacity: Int = 4 << 20
    ) {
        state = Mutex(State(lastSequence: max(1, firstSequence) - 1))
        self.journal = journal
        self.recentCapacity = max(1, recentCapacity)
        self.recentByteCapacity = max(1, recentByteCapacity)
    }

    /// A fresh connection id.
    package func makeConnectionID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    package func register(_ client: ClientConnection) {
        state.withLock { $0.clients[client.id] = client }
    }

    package func unregister(_ client: ClientConnection) {
        _ = state.withLock { $0.clients.removeValue(forKey: client.id) }
    }

    /// How many clients are connected, and how many of them watch at least one topic.
    package var counts: (clients: Int, watchers: Int) {
        let snapshot = state.withLock { Array($0.clients.values) }
        return (snapshot.count, snapshot.filter(\.isWatching).count)
    }

    /// The newest published event's number (one less than the first number before any event).
    package var lastSequence: UInt64 { state.withLock { $0.lastSequence } }

    /// Numbers, journals and sends an event to every client watching its topic.
    package func publish(_ name: EventName, data: some Encodable) {
        publish(name, each: CollectionOfOne(data))
    }

    /// Publishes one event `name` for each of `data`, in order and with consecutive numbers, each client watching
    /// the topic getting them in one hand-off (one wake-up of its writer): a monitor report's readings.
    package func publish<Data: Encodable>(_ name: EventName, each data: some Collection<Data>) {
        publish(name, encodedEach: data.map { LineCoding.encodedData($0) })
    }

    /// As ``publish(_:each:)``, with each event's data already encoded as the protocol's JSON (a `vital`'s, written
    /// by hand: `ChairEventData<VitalData>.encodedData`).
    package func publish(_ name: EventName, encodedEach encoded: [[UInt8]]) {
        guard !encoded.isEmpty else { return }
        let topic = name.topic
        // Watchers whose sockets this publish writes itself, after leaving the lock (their writers claimed under it).
        var claimed: [OutboxChannelWriter] = []
        var framed: [[UInt8]] = []
        state.withLock { state in
            // One buffer per line, shared by every watcher's outbox.
            var lines: [ByteBuffer] = []
            lines.reserveCapacity(encoded.count)
            for data in encoded {
                state.lastSequence += 1
                let event = EncodedEvent(name.rawValue, topic: topic, sequence: state.lastSequence, data: data)
                lines.append(ByteBuffer(bytes: event.line))
                framed.append(event.line)
                state.recent.append(event)
                state.recentBytes += event.line.count
                journal?.journal(event)
            }
            trimRecent(&state)
            for client in state.clients.values where client.watches(topic) {
                if claimed.count < Self.directWritesPerPublish, client.writer.claimDirectWrite() {
                    claimed.append(client.writer)
                } else {
                    client.deliver(lines)
                }
            }
        }
        guard !claimed.isEmpty else { return }
        // The lines in one piece: one send per watcher.
        let joined = Array(framed.joined())
        for writer in claimed { writer.writeClaimed(joined) }
    }

    /// How many watchers a publish may write to directly (``OutboxChannelWriter/claimDirectWrite()``); the rest get
    /// the lines through their outboxes and event loops. A direct write costs the publisher a system call (5–10 µs
    /// here), and publishers include the port readers at real-time priority: this bounds what a report costs its
    /// reader (issue 21 item 3, docs/PERFORMANCE.md).
    static let directWritesPerPublish = 64

    /// Drops the oldest events until memory holds no more than its bounds; called with the lock held.
    private func trimRecent(_ state: inout State) {
        while state.recent.count > 1, state.recent.count > recentCapacity || state.recentBytes > recentByteCapacity {
            state.recentBytes -= state.recent.removeFirst().line.count
        }
    }

    /// Sends `client` every event of `topics` numbered after `since`, in order, then makes it a live watcher of
    /// `topics`. Paced by the client: a batch is queued only once the previous one was mostly written, so a long
    /// replay never overflows the outbox. Returns early if the client goes away.
    package func replay(to client: ClientConnection, since: UInt64, topics: Set<Topic>) async {
        var position = since
        var unfilledAttempts = 0
        while !client.outbox.isClosed {
            var fromJournal: [EncodedEvent] = []
            var oldestKept: UInt64? = nil
            if let journal {
                // An unreadable journal replays nothing from disk; what memory lacks then is reported as a gap.
                fromJournal = (try? await journal.events(after: position, limit: Self.replayBatch)) ?? []
                // Read after the batch: numbers before the batch's first that are older than this were pruned.
                oldestKept = try? await journal.oldestJournalledSequence()
            }
            if !fromJournal.isEmpty {
                for event in fromJournal {
                    Self.send(event, to: client, topics: topics, position: &position, oldestKept: oldestKept)
                }
                await Self.waitUntilWritten(client)
                continue
            }
            // The journal has nothing more: go live, after what memory holds, in one step under the lock so no
            // event falls between the replay and the live stream.
            let wentLive = state.withLock { state -> Bool in
                let tail = state.recent.drop { $0.sequence <= position }
                let firstInMemory = tail.first?.sequence ?? (state.lastSequence + 1)
                if firstInMemory > position + 1, position < state.lastSequence {
                    // Events between are neither durable yet nor in memory: wait for the writer a little,
                    // then call them missing.
                    guard unfilledAttempts >= Self.unfilledRetries else { return false }
                }
                for event in tail { Self.send(event, to: client, topics: topics, position: &position) }
                if position < state.lastSequence {
                    Self.reportGap(to: client, from: position + 1, to: state.lastSequence)
                }
                client.watch(Array(topics))
                return true
            }
            if wentLive { return }
            unfilledAttempts += 1
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Tells every client why the daemon is going away and closes their outboxes; writers drain
    /// and the connections end.
    package func closeAll(reason: String) {
        let notice = LineCoding.encodedData(ClosingNotice(reason: reason))
        for client in state.withLock({ Array($0.clients.values) }) {
            client.outbox.close(finalEvent: ConnectionEvent.shutdown, data: notice)
        }
    }

    /// Cuts off every client still connected (after the shutdown grace period).
    package func disconnectAll() {
        for client in state.withLock({ Array($0.clients.values) }) {
            client.disconnect()
        }
    }

    /// Events read from the journal per step of a replay.
    private static let replayBatch = 256
    /// How many times (50 ms apart) a replay waits for events that are neither durable nor in memory.
    private static let unfilledRetries = 20

    /// Sends one replayed event (if its topic is watched), first reporting the numbers skipped since `position`:
    /// as `pruned` when they lie before the journal's oldest kept event `oldestKept`, else as `not-recorded`.
    private static func send(
        _ event: EncodedEvent, to client: ClientConnection, topics: Set<Topic>, position: inout UInt64, oldestKept: UInt64? = nil
    ) {
        guard event.sequence > position else { return }
        if event.sequence > position + 1 {
            let pruned = oldestKept.map { event.sequence <= $0 } ?? false
            reportGap(to: client, from: position + 1, to: event.sequence - 1, reason: pruned ? .pruned : .notRecorded)
        }
        if topics.contains(event.topic) { client.deliver(CollectionOfOne(ByteBuffer(bytes: event.line))) }
        position = event.sequence
    }

    private static func reportGap(
        to client: ClientConnection, from: UInt64, to last: UInt64, reason: GapNotice.Reason = .notRecorded
    ) {
        let gap = GapNotice(from: from, to: last, reason: reason)
        client.reply(MessageFraming.connectionEvent(ConnectionEvent.gap, data: LineCoding.encodedData(gap)))
    }

    /// Waits until the client's writer has taken most of what is queued (or the client is gone).
    private static func waitUntilWritten(_ client: ClientConnection) async {
        while client.outbox.queuedBytes > 64 * 1024, !client.outbox.isClosed {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
