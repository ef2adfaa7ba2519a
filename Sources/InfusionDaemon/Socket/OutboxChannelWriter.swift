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
package final class OutboxChannelWriter: Sendable {
    private let channel: any Channel
    /// Set while a take is scheduled or a batch is being written; a wake-up then costs nothing.
    private let busy = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let done: EventLoopPromise<Void>
    /// The outbox to write; set once, before the first wake-up (the outbox needs the writer's `wake` to exist).
    private let source = Mutex<ClientOutbox?>(nil)

    package init(channel: any Channel) {
        self.channel = channel
        done = channel.eventLoop.makePromise()
    }

    /// Completes when the outbox's last line is written; fails when the socket failed first.
    package var finished: EventLoopFuture<Void> { done.futureResult }

    /// Starts writing `outbox`; call once, before anything is queued on it.
    package func attach(_ outbox: ClientOutbox) {
        source.withLock { $0 = outbox }
    }

    /// Something was queued or the outbox closed: schedules a take unless one is scheduled or a write is under way.
    package func wake() {
        guard !ended.load(ordering: .acquiring),
              busy.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        channel.eventLoop.execute { self.takeAndWrite() }
    }

    /// On the event loop, with `busy` set.
    private func takeAndWrite() {
        guard let outbox = source.withLock({ $0 }), !ended.load(ordering: .acquiring) else { return }
        let take = outbox.take()
        guard !take.lines.isEmpty else {
            if take.isLast { return end(.success(())) }
            busy.store(false, ordering: .releasing)
            // A line queued between the take and the store found `busy` still set and did not schedule one.
            if outbox.queuedBytes > 0 || outbox.isClosed { wake() }
            return
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
            return channel.eventLoop.execute { self.takeAndWrite() }
        }
        let end = Self.sliceEnd(lines)
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
