internal import Glibc
package import NIOCore
internal import Synchronization

/// Writes one client's outbox to its socket from the channel's own event loop.
///
/// Why on the event loop: a publish then costs each watcher one hand-off (the loop's task queue), and none
/// while a write is under way; a writer task awaiting each write cost a cooperative-pool wake-up to take the
/// lines, a hop to the event loop to write them and a wake-up back (issue 21 item 3).
///
/// One batch is in flight at most: the writer takes what the outbox holds, writes it in slices of whole lines,
/// each once the socket took the one before, and takes again only then. A client that stops reading therefore
/// leaves its lines in the outbox, whose bound cuts it off; a client cut off meanwhile gets the slice being
/// written finished, not the rest of the batch, then its `overflow` notice. ``finished`` completes once the
/// outbox is closed and its last line written, or fails when the socket does.
///
/// A watcher's lines move to a channel of their own on another event loop (``redirect(to:directDescriptor:)``), so
/// the loop that reads every client's requests does not write them; the move takes effect between two batches, so no
/// line is split across the two channels and the order holds.
///
/// Once moved, a publisher may write a watcher's lines itself (``claimDirectWrite()``, ``writeClaimed(_:)``) while
/// the writer is idle and the outbox empty, as gpsd writes its clients from the thread that read the device: the
/// socket then gets the lines without a wake-up of the event loop (issue 21 item 3, docs/PERFORMANCE.md). What the
/// socket does not take at once the loop writes before anything else.
package final class OutboxChannelWriter: Sendable {
    private struct Output {
        var current: any Channel
        /// The channel the next take moves to (``redirect(to:directDescriptor:)``).
        var pending: (any Channel)?
        /// A duplicate of the socket `current` writes to, for ``writeClaimed(_:)``, and the one for `pending`. Closed
        /// only under this lock, while no direct write can be under way, so no write ever reaches the number after
        /// another file took it.
        var direct: Int32?
        var pendingDirect: Int32?
        /// Set by ``closeChannels()``: a later redirect is refused.
        var closed = false
    }

    private let output: Mutex<Output>
    /// The channel the writer writes to now.
    private var channel: any Channel { output.withLock { $0.current } }
    /// Idle, a take scheduled on the loop, or a batch being written (`Phase`); a wake-up costs nothing unless idle.
    private let phase = Atomic<UInt8>(Phase.idle)
    private let ended = Atomic<Bool>(false)
    private let done: EventLoopPromise<Void>
    /// The outbox to write; set once, before the first wake-up (the outbox needs the writer's `wake` to exist).
    private let source = Mutex<ClientOutbox?>(nil)
    /// Whether `Output.direct` is set, readable without the lock: a publisher checks it first, so a watcher without a
    /// direct descriptor costs it one load.
    private let directAvailable = Atomic<Bool>(false)

    package init(channel: any Channel) {
        output = Mutex(Output(current: channel))
        done = channel.eventLoop.makePromise()
    }

    /// Writes from the next batch on to `channel` (another channel on the same socket), from its own event loop; and,
    /// when `directDescriptor` (a further duplicate of that socket, which the writer then owns) is given, lets
    /// publishers write to it directly from then on (``claimDirectWrite()``).
    /// - Returns: false when the writer's channels were closed already; the caller then closes `channel` and the
    ///   descriptor.
    package func redirect(to channel: any Channel, directDescriptor: Int32? = nil) -> Bool {
        let accepted = output.withLock { output in
            guard !output.closed else { return false }
            output.pending = channel
            // A move not yet taken is replaced whole: its descriptor is closed with it.
            if let replaced = output.pendingDirect { Glibc.close(replaced) }
            output.pendingDirect = directDescriptor
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Closes the channel written to and one redirected to but not yet used, and the direct descriptors.
    package func closeChannels() {
        let channels = output.withLock { output in
            output.closed = true
            directAvailable.store(false, ordering: .relaxed)
            for descriptor in [output.direct, output.pendingDirect].compactMap({ $0 }) { Glibc.close(descriptor) }
            output.direct = nil
            output.pendingDirect = nil
            return [output.current] + (output.pending.map { [$0] } ?? [])
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Claims the socket for a direct write (``writeClaimed(_:)``): true when the writer was idle, the outbox holds
    /// nothing and is open, and the lines were moved to a channel with a direct descriptor. Until the claimed write,
    /// the writer counts as busy: lines queued meanwhile wait in the outbox and go out after the claimed ones. So a
    /// publisher claims under the lock that orders its events and writes after leaving it, without another publisher
    /// waiting for its system calls. False: the caller queues the lines on the outbox as usual.
    package func claimDirectWrite() -> Bool {
        guard directAvailable.load(ordering: .relaxed), !ended.load(ordering: .acquiring),
            let outbox = source.withLock({ $0 }), enter(from: Phase.idle, to: Phase.writing)
        else { return false }
        // In phase `writing` nobody else writes: no batch is in flight on the channel, and none starts.
        guard outbox.isEmptyAndOpen else {
            // A line queued just now found the writer busy (us) and did not schedule a take: schedule it.
            phase.store(Phase.scheduled, ordering: .releasing)
            schedule()
            return false
        }
        return true
    }

    /// Writes `bytes` (whole lines) after a successful ``claimDirectWrite()``, from the calling thread, without
    /// blocking: what the socket does not take at once the loop writes before anything queued since the claim (a
    /// full socket buffer, a client gone or a descriptor closed meanwhile: the loop's write waits or fails as it
    /// would have).
    package func writeClaimed(_ bytes: [UInt8]) {
        guard let outbox = source.withLock({ $0 }) else { return }
        let sent = output.withLock { output -> Int in
            guard let descriptor = output.direct, output.pending == nil, !output.closed else { return 0 }
            return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        }
        if sent == bytes.count { return goIdle(outbox) }
        // The rest first, from the loop; a line begun is finished also if the client is cut off meanwhile.
        let rest = ByteBuffer(bytes: bytes[max(0, sent)...])
        let begun = sent > 0
        channel.eventLoop.execute {
            self.write([rest][...], overflowedBefore: begun, isLast: false, outbox: outbox)
        }
    }

    /// Completes when the outbox's last line is written; fails when the socket failed first.
    package var finished: EventLoopFuture<Void> { done.futureResult }

    /// Starts writing `outbox`; call once, before anything is queued on it.
    package func attach(_ outbox: ClientOutbox) {
        source.withLock { $0 = outbox }
    }

    private enum Phase {
        static let idle: UInt8 = 0
        static let scheduled: UInt8 = 1
        static let writing: UInt8 = 2
    }

    /// Something was queued or the outbox closed: schedules a take unless one is scheduled or a write is under way.
    package func wake() {
        guard !ended.load(ordering: .acquiring), enter(from: Phase.idle, to: Phase.scheduled) else { return }
        schedule()
    }

    /// As ``wake()``, but on the channel's own event loop takes and writes at once, also when a take is already
    /// scheduled, instead of waiting behind the loop's other work: the answer to a client's request then goes out
    /// ahead of the watchers' writes queued on that loop (issue 21: under load those held a chair command's reply
    /// 0.28 ms at the median and 9 ms at p99 in a trace). While a batch is being written the answer follows it, as
    /// the outbox's order requires. Must not be called with a lock held that closing the connection takes (the
    /// event hub's): a write may fail and end the writer at once.
    package func wakeWritingHere() {
        guard channel.eventLoop.inEventLoop else { return wake() }
        guard !ended.load(ordering: .acquiring) else { return }
        if enter(from: Phase.idle, to: Phase.writing) || enter(from: Phase.scheduled, to: Phase.writing) {
            takeAndWrite()
        }
    }

    private func enter(from: UInt8, to: UInt8) -> Bool {
        phase.compareExchange(expected: from, desired: to, ordering: .acquiringAndReleasing).exchanged
    }

    /// Queues a take on the loop, in phase `scheduled`. The task does nothing if the take was done meanwhile
    /// (``wakeWritingHere()``).
    private func schedule() {
        channel.eventLoop.execute {
            guard self.enter(from: Phase.scheduled, to: Phase.writing) else { return }
            self.takeAndWrite()
        }
    }

    /// On the event loop, in phase `writing`; no batch is in flight then.
    private func takeAndWrite() {
        guard let outbox = source.withLock({ $0 }), !ended.load(ordering: .acquiring) else { return }
        let moved = output.withLock { output -> (any Channel)? in
            guard let next = output.pending else { return nil }
            output.current = next
            output.pending = nil
            if let previous = output.direct { Glibc.close(previous) }
            output.direct = output.pendingDirect
            output.pendingDirect = nil
            directAvailable.store(output.direct != nil, ordering: .relaxed)
            return next
        }
        // Every line taken so far is written on the old channel: the next take writes on the new one, from its loop.
        if let moved { return moved.eventLoop.execute { self.takeAndWrite() } }
        let take = outbox.take()
        guard !take.lines.isEmpty else {
            if take.isLast { return end(.success(())) }
            return goIdle(outbox)
        }
        // Read after the take: a batch taken once cut off is only the notice.
        let overflowedBefore = outbox.hasOverflowed
        write(take.lines[...], overflowedBefore: overflowedBefore, isLast: take.isLast, outbox: outbox)
    }

    /// Writes `lines` a slice at a time (``sliceEnd(_:)``), each handed to the socket in one gathered write once
    /// the one before was taken.
    private func write(_ lines: ArraySlice<ByteBuffer>, overflowedBefore: Bool, isLast: Bool, outbox: ClientOutbox) {
        guard !lines.isEmpty, overflowedBefore || !outbox.hasOverflowed else {
            if isLast { return end(.success(())) }
            // With nothing queued the take finds nothing and the writer goes idle at once: no task for that (one
            // per watcher per batch, which lengthened the loop's turn under load). Otherwise queued, not called: a
            // write that completes at once must not recurse for as long as lines arrive.
            if outbox.queuedBytes == 0 && !outbox.isClosed { return takeAndWrite() }
            phase.store(Phase.scheduled, ordering: .releasing)
            return schedule()
        }
        let end = Self.sliceEnd(lines)
        let channel = self.channel
        for line in lines[lines.startIndex..<(end - 1)] { channel.write(line, promise: nil) }
        channel.writeAndFlush(lines[end - 1]).whenComplete { result in
            switch result {
            case .success:
                self.write(lines[end...], overflowedBefore: overflowedBefore, isLast: isLast, outbox: outbox)
            case .failure(let error):
                self.end(.failure(error))
            }
        }
    }

    /// Leaves phase `writing` with nothing in flight.
    private func goIdle(_ outbox: ClientOutbox) {
        phase.store(Phase.idle, ordering: .releasing)
        // A line queued meanwhile found the writer busy and did not schedule a take.
        if outbox.queuedBytes > 0 || outbox.isClosed { wake() }
    }

    private func end(_ result: Result<Void, any Error>) {
        guard ended.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        done.completeWith(result)
    }

    /// About how many bytes are handed to one client's socket at once (a burst of events is smaller).
    static let writeSliceBytes = 32 * 1024

    /// Where the first slice of `lines` ends: the most whole lines that fit in `writeSliceBytes`, and at least one
    /// (a longer line is a slice of its own).
    static func sliceEnd(_ lines: ArraySlice<ByteBuffer>) -> Int {
        var end = lines.startIndex + 1
        var bytes = lines[lines.startIndex].readableBytes
        while end < lines.endIndex, bytes + lines[end].readableBytes <= writeSliceBytes {
            bytes += lines[end].readableBytes
            end += 1
        }
        return end
    }
}
