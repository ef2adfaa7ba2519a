package import NIOCore
internal import Synchronization
internal import WireProtocol

/// The lines waiting to be written to one client, in order, bounded.
///
/// Replies and events share one queue so they reach the client in the order they were produced. The
/// connection's writer takes the queue whole, so a burst of events (32 chairs' vitals in one tick) costs one
/// wake-up and one gathered write per client, not one per line. A topic event's line is one buffer shared by
/// every watcher's outbox (``send(lines:)``): queuing it costs a reference, not a copy, which keeps the memory of
/// 256 watchers close to that of one (issue 21 item 3, docs/PERFORMANCE.md). The writer is woken
/// through `wake`, called (outside the outbox's lock) after every line queued and at the close; it is
/// expected to be cheap when a write is already under way (`OutboxChannelWriter`).
///
/// Producers never wait: when the queue is full, the outbox drops what is still queued, keeps only a
/// final `overflow` notice and closes, so a client that stops reading costs the daemon a bounded
/// amount of memory and no time, and learns why it was cut off if it ever reads again.
package final class ClientOutbox: Sendable {
    /// What happened to a line offered to the outbox.
    package enum Outcome: Equatable, Sendable {
        case queued
        /// The queue was full: the client was told, and the outbox is now closed.
        case overflowed
        /// The outbox was already closed; the line was not queued.
        case closed
    }

    private struct State {
        /// Complete lines not yet taken by the writer.
        var queued: [ByteBuffer] = []
        var queuedBytes = 0
        /// The last line ever (shutdown or overflow notice), written after everything else.
        var finalLine: ByteBuffer?
        var isClosed = false
        var hasOverflowed = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let byteLimit: Int
    private let wake: @Sendable () -> Void

    /// An outbox that holds at most `limit` lines and about `byteLimit` bytes the writer has not
    /// taken (a line is refused once that many bytes wait, so one line may pass the bound). `wake` tells the
    /// writer there is something to take or that the outbox closed.
    package init(limit: Int, byteLimit: Int = SocketSettings().clientQueueBytes, wake: @escaping @Sendable () -> Void = {}) {
        self.limit = limit
        self.byteLimit = byteLimit
        self.wake = wake
    }

    /// Queues a reply line (already encoded, newline included).
    @discardableResult
    package func send(line: [UInt8]) -> Outcome {
        send(lines: CollectionOfOne(ByteBuffer(bytes: line)))
    }

    /// Queues complete lines (newline included) in order with one wake-up of the writer; stops at the first that
    /// does not fit (`.overflowed`: the outbox is then closed) or finds the outbox closed. The buffers are kept,
    /// not copied: the event hub hands every watcher the same ones.
    @discardableResult
    package func send(lines: some Collection<ByteBuffer>) -> Outcome {
        let outcome = state.withLock { state in
            var outcome = Outcome.queued
            for line in lines where outcome == .queued { outcome = enqueue(&state, line) }
            return outcome
        }
        if outcome != .closed { wake() }
        return outcome
    }

    /// Queues a connection event (`hello`, `gap`) whose payload `data` is already encoded as JSON.
    @discardableResult
    package func send(connectionEvent name: String, data: [UInt8]) -> Outcome {
        send(line: MessageFraming.connectionEvent(name, data: data))
    }

    /// Bytes queued and not yet taken by the writer: a replay waits for this to fall before it queues more.
    package var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Queues a last event and closes the outbox: the writer drains what is queued, then stops.
    package func close(finalEvent name: String, data: [UInt8]) {
        state.withLock { state in
            guard !state.isClosed else { return }
            closeWithFinal(&state, name, data: data)
        }
        wake()
    }

    /// Closes the outbox without a last word; the writer drains what is queued, then stops.
    package func close() {
        state.withLock { state in state.isClosed = true }
        wake()
    }

    /// What the writer takes at once: every line queued, in order, with the final line last once the outbox
    /// is closed (`lines` empty when nothing is waiting), and whether this was the last take (the outbox is closed,
    /// so nothing can follow).
    package struct Take {
        /// Complete lines, newline included.
        package var lines: [ByteBuffer]
        package var isLast: Bool
    }

    /// Takes everything queued; the writer calls this after each wake-up and after each write.
    package func take() -> Take {
        state.withLock { state in
            var taken: [ByteBuffer] = []
            swap(&taken, &state.queued)
            state.queuedBytes = 0
            if let final = state.finalLine {
                taken.append(final)
                state.finalLine = nil
            }
            return Take(lines: taken, isLast: state.isClosed)
        }
    }

    /// Whether nothing waits to be written and the outbox is open: lines may then go to the socket ahead of the queue
    /// (``OutboxChannelWriter/claimDirectWrite()``) without passing anything queued.
    package var isEmptyAndOpen: Bool { state.withLock { $0.queued.isEmpty && $0.finalLine == nil && !$0.isClosed } }

    /// Whether the outbox has been closed.
    package var isClosed: Bool { state.withLock { $0.isClosed } }

    /// Whether the client was cut off for falling behind: the writer then drops the lines of a batch it has
    /// not handed to the socket yet, and only the `overflow` notice follows.
    package var hasOverflowed: Bool { state.withLock { $0.hasOverflowed } }

    /// Must be called with the lock held.
    private func enqueue(_ state: inout State, _ line: ByteBuffer) -> Outcome {
        guard !state.isClosed else { return .closed }
        if state.queued.count >= limit || state.queuedBytes >= byteLimit {
            // Nothing still queued is worth writing now: the client only gets the reason it is cut off.
            let reason = state.queued.count >= limit
                ? "more than \(limit) lines waited for this client" : "more than \(byteLimit) bytes waited for this client"
            state.queued.removeAll()
            state.queuedBytes = 0
            state.hasOverflowed = true

            let notice = LineCoding.encodedData(ClosingNotice(reason: reason))
            closeWithFinal(&state, ConnectionEvent.overflow, data: notice)
            return .overflowed
        }
        state.queued.append(line)
        state.queuedBytes += line.readableBytes
        return .queued
    }

    private func closeWithFinal(_ state: inout State, _ name: String, data: [UInt8]) {
        state.isClosed = true
        state.finalLine = ByteBuffer(bytes: MessageFraming.connectionEvent(name, data: data))
    }
}
