internal import Synchronization
package import NIOCore
package import WireProtocol

/// One connected client: who it is, what it watches, and its outbox.
package final class ClientConnection: Sendable {
    package let id: UInt64
    package let peer: PeerCredentials
    package let role: Role
    package let outbox: ClientOutbox
    /// Writes the outbox to the channel from its event loop.
    package let writer: OutboxChannelWriter
    /// The client's channel, which reads its requests; closed, with the writer's, to cut off a client that overflowed
    /// or outstayed shutdown.
    private let channel: any Channel
    private let watched = Mutex<Set<Topic>>([])

    /// How long a client that overflowed keeps its connection to read the end of its last line and its
    /// `overflow` notice; after that it is dropped without them.
    private let overflowGrace: Duration

    package init(
        id: UInt64, peer: PeerCredentials, role: Role, queueLimit: Int, queueBytes: Int = SocketSettings().clientQueueBytes,
        overflowGrace: Duration, channel: any Channel
    ) {
        self.id = id
        self.peer = peer
        self.role = role
        let writer = OutboxChannelWriter(channel: channel)
        self.writer = writer
        self.outbox = ClientOutbox(limit: queueLimit, byteLimit: queueBytes, wake: { writer.wake() })
        writer.attach(outbox)
        self.overflowGrace = overflowGrace
        self.channel = channel
    }

    /// The topics this client watches, in catalogue order.
    package var topics: [Topic] {
        let set = watched.withLock { $0 }
        return Topic.allCases.filter(set.contains)
    }

    /// Whether the client watches anything.
    package var isWatching: Bool { watched.withLock { !$0.isEmpty } }

    /// Whether the client watches `topic`.
    package func watches(_ topic: Topic) -> Bool { watched.withLock { $0.contains(topic) } }

    /// Adds topics to the watch set.
    package func watch(_ topics: [Topic]) { watched.withLock { $0.formUnion(topics) } }

    /// Removes topics from the watch set; all of them when `topics` is nil.
    package func unwatch(_ topics: [Topic]?) {
        watched.withLock { set in
            if let topics { set.subtract(topics) } else { set.removeAll() }
        }
    }

    /// Delivers topic events' lines (``ClientOutbox/send(lines:)``); a client that has fallen too far behind is
    /// cut off.
    package func deliver(_ lines: some Collection<ByteBuffer>) {
        if outbox.send(lines: lines) == .overflowed {
            disconnectAfterOverflowGrace()
        }
    }

    /// Queues the answer to one of the client's requests and writes it at once when called on the event loop of the
    /// channel the writer writes to (``OutboxChannelWriter/wakeWritingHere()``): the request loop, where the
    /// connection's task runs, until the client watches; a client that has fallen too far behind is cut off. Never
    /// call it with the event hub's lock held.
    package func answer(_ line: [UInt8]) {
        queue(line, writingHere: true)
    }

    /// Queues a reply line for the writer's next turn on the event loop; a client that has fallen too far behind is
    /// cut off.
    package func reply(_ line: [UInt8]) {
        queue(line, writingHere: false)
    }

    private func queue(_ line: [UInt8], writingHere: Bool) {
        let outcome = outbox.send(line: line)
        // The outbox woke the writer, which scheduled a take; on the loop, this takes over from it.
        if writingHere && outcome != .closed { writer.wakeWritingHere() }
        if outcome == .overflowed {
            disconnectAfterOverflowGrace()
        }
    }

    /// The outbox holds nothing but the `overflow` notice, and the writer finishes at most the slice of whole
    /// lines it was writing; the client gets both as it reads, then the connection closes. A client that has
    /// not read them within the grace is disconnected without them.
    private func disconnectAfterOverflowGrace() {
        let grace = overflowGrace
        Task { [self] in
            try? await Task.sleep(for: grace)
            disconnect()
        }
    }

    /// Closes the connection now, dropping anything not yet written.
    package func disconnect() {
        outbox.close()
        channel.close(promise: nil)
        writer.closeChannels()
    }
}
