internal import Synchronization
package import WireProtocol

/// The lines waiting to be written to one client, in order, bounded.
///
/// Replies and events share one queue so they reach the client in the order they were produced, and
/// every event gets the connection's next sequence number at the moment it is queued. Producers never
/// wait: when the queue is full, the outbox queues a final `overflow` notice and closes; the writer
/// then skips everything still queued and writes only that notice, so a client that stops reading
/// costs the daemon a bounded amount of memory and no time, and learns why it was cut off if it ever
/// reads again.
package final class ClientOutbox: Sendable {
    /// What happened to a line offered to the outbox.
    package enum Outcome: Equatable, Sendable {
        case queued
        /// The queue was full: the client was told, and the outbox is now closed.
        case overflowed
        /// The outbox was already closed; the line was not queued.
        case closed
    }

    /// One queued line. After an overflow only the final line is still worth writing.
    package struct Line: Sendable {
        package var bytes: [UInt8]
        package var isFinal: Bool
    }

    private struct State {
        var nextSequence: UInt64 = 1
        var pending = 0
        var isClosed = false
        var hasOverflowed = false
    }

    private let state = Mutex(State())
    private let continuation: AsyncStream<Line>.Continuation
    private let limit: Int

    /// The queued lines; the connection's writer consumes them and calls `didWrite()` for each.
    package let lines: AsyncStream<Line>

    /// An outbox that holds at most `limit` unwritten lines.
    package init(limit: Int) {
        self.limit = limit
        (lines, continuation) = AsyncStream.makeStream(of: Line.self)
    }

    /// Queues a reply line (already encoded, newline included).
    @discardableResult
    package func send(line: [UInt8]) -> Outcome {
        state.withLock { state in enqueue(&state, isEvent: false) { _ in line } }
    }

    /// Queues an event, numbering it with the connection's next sequence number. `data` is the
    /// event's payload, already encoded as JSON once for all recipients.
    @discardableResult
    package func send(event name: String, topic: Topic?, data: [UInt8]) -> Outcome {
        state.withLock { state in
            enqueue(&state, isEvent: true) { sequence in MessageFraming.event(name, topic: topic, sequence: sequence, data: data) }
        }
    }

    /// Queues a last event and closes the outbox: the writer drains what is queued, then stops.
    package func close(finalEvent name: String, data: [UInt8]) {
        state.withLock { state in
            guard !state.isClosed else { return }
            state.isClosed = true
            continuation.yield(
                Line(bytes: MessageFraming.event(name, topic: nil, sequence: state.nextSequence, data: data), isFinal: true))
            state.nextSequence += 1
            continuation.finish()
        }
    }

    /// Closes the outbox without a last word; the writer drains what is queued, then stops.
    package func close() {
        state.withLock { state in
            state.isClosed = true
            continuation.finish()
        }
    }

    /// The writer took one line off the queue.
    package func didWrite() {
        state.withLock { $0.pending -= 1 }
    }

    /// Whether the writer should skip `line`: after an overflow, only the final notice matters.
    package func shouldSkip(_ line: Line) -> Bool {
        !line.isFinal && state.withLock { $0.hasOverflowed }
    }

    /// Whether the outbox has been closed.
    package var isClosed: Bool { state.withLock { $0.isClosed } }

    /// Must be called with the lock held. `AsyncStream.Continuation.yield` and `finish` do not call
    /// back into this type (no `onTermination` is installed), so calling them under the lock is safe.
    private func enqueue(_ state: inout State, isEvent: Bool, makeLine: (UInt64) -> [UInt8]) -> Outcome {
        guard !state.isClosed else { return .closed }
        if state.pending >= limit {
            state.isClosed = true
            state.hasOverflowed = true
            let notice = LineCoding.encodedData(ClosingNotice(reason: "more than \(limit) lines waited for this client"))
            let line = MessageFraming.event(ConnectionEvent.overflow, topic: nil, sequence: state.nextSequence, data: notice)
            continuation.yield(Line(bytes: line, isFinal: true))
            state.nextSequence += 1
            continuation.finish()
            return .overflowed
        }
        let line = makeLine(state.nextSequence)
        if isEvent { state.nextSequence += 1 }
        state.pending += 1
        continuation.yield(Line(bytes: line, isFinal: false))
        return .queued
    }
}
