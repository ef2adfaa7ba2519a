internal import Synchronization
package import WireProtocol

/// The registry of connected clients and the fan-out of events to those who watch a topic.
///
/// Publishing encodes and frames the event once, then offers it to each watcher's outbox without waiting:
/// a slow client is cut off by its own outbox bound, never slowing the publisher or other clients.
package final class EventHub: Sendable {
    private let clients = Mutex<[UInt64: ClientConnection]>([:])
    private let nextID = Atomic<UInt64>(1)

    package init() {}

    /// A fresh connection id.
    package func makeConnectionID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    package func register(_ client: ClientConnection) {
        clients.withLock { $0[client.id] = client }
    }

    package func unregister(_ client: ClientConnection) {
        _ = clients.withLock { $0.removeValue(forKey: client.id) }
    }

    /// How many clients are connected, and how many of them watch at least one topic.
    package var counts: (clients: Int, watchers: Int) {
        let snapshot = clients.withLock { Array($0.values) }
        return (snapshot.count, snapshot.filter(\.isWatching).count)
    }

    /// Sends an event to every client watching `topic`.
    package func publish(_ name: String, topic: Topic, data: some Encodable) {
        let event = EncodedEvent(name, topic: topic, data: LineCoding.encodedData(data))
        let watchers = clients.withLock { $0.values.filter { $0.watches(topic) } }
        for watcher in watchers {
            watcher.deliver(event)
        }
    }

    /// Tells every client why the daemon is going away and closes their outboxes; writers drain
    /// and the connections end.
    package func closeAll(reason: String) {
        let notice = LineCoding.encodedData(ClosingNotice(reason: reason))
        for client in clients.withLock({ Array($0.values) }) {
            client.outbox.close(finalEvent: ConnectionEvent.shutdown, data: notice)
        }
    }

    /// Cuts off every client still connected (after the shutdown grace period).
    package func disconnectAll() {
        for client in clients.withLock({ Array($0.values) }) {
            client.disconnect()
        }
    }
}
