import GRDB
import Synchronization
package import WireProtocol

/// The single writer of the audit store: a bounded queue drained in batched transactions.
///
/// `record(_:)` takes a short lock and returns; it never waits for I/O, so the control thread may call it.
/// ``run()`` drains the queue on a thread of its own (`infusiond-audit`, SCHED_FIFO below the port readers: `SafetyPathScheduling`), which waits for work
/// and for company on a doorbell and commits synchronously: no task, timer or pool hop per batch, which had cost
/// more CPU than the commits themselves (issue 21). Group commit: audit records nobody waits for wait up to
/// `commitDelay` for company, and the event journal's lines up to `journalDelay` (they are a delivery aid, and a
/// replay serves the newest from memory), so a chair's stream of readings, a few events each, costs about one commit
/// (an fsync) per `journalDelay` rather than one per reading; whatever is queued is committed together when the first
/// of their deadlines comes. A record somebody waits for (``recordDurably(_:)``, a chair command's) ends the wait at
/// once and commits with everything queued. When a commit fails for lack of space, the writer first gives back half of its
/// ``AuditReserve`` and retries at once, so records stay durable while the disk is full; when that is spent, or a
/// commit fails otherwise, the batch stays at the head of the queue and is retried every `retryInterval`, so
/// records are held rather than lost. At the stop the rest of the reserve takes what is still held. Only a record
/// arriving while the queue is at its bound (a count of records and of bytes, so a run of large records cannot
/// hold hundreds of megabytes) is refused, and each such record is counted in ``AuditWriterStatus/dropped``.
///
/// The same queue carries the event journal's lines (``journal(_:)``), written in the same transactions; they
/// may fill at most half of it, so published events never crowd out audit records.
package final class AuditWriter: Sendable {
    /// Told, on the writer thread, how a record somebody waits for ended: stored, or why not.
    package typealias Completion = @Sendable (Result<AuditRecord, AuditWriterError>) -> Void

    private struct Pending {
        var entry: AuditEntry?
        var event: EncodedEvent?
        var waiter: Completion?

        /// What it holds in memory, about: the text it carries plus a fixed allowance for the rest.
        var bytes: Int { (entry.map { $0.payload.utf8.count + 256 } ?? 0) + (event.map { $0.line.count + 64 } ?? 0) }
    }

    private struct State {
        var queue: [Pending] = []
        var queuedBytes = 0
        var journalledBytes = 0
        /// Queued records somebody waits for (``recordDurably(_:)``): while there are any, nothing waits for company.
        var waiting = 0
        /// Readers waiting for the queue as it stood to be committed (``committedStore()``): nothing waits for company.
        var flushers = 0
        /// Records ever queued, and ever taken off the queue (written, or given up at the stop).
        var enqueued = 0
        var dequeued = 0
        /// The writer thread sleeps with nothing queued: the next record rings it. (While it waits for company a
        /// record that nobody waits for rings it only when it brings the commit forward: ringing for every reading
        /// would wake it for nothing.)
        var isIdle = false
        /// When what is queued must be committed (monotonic ns): the earliest of the queued lines' and records'
        /// arrival plus their delay. Nil with nothing queued.
        var commitDueAt: Int64?
        var dropped = 0
        var written = 0
        var journalled = 0
        var eventsDropped = 0
        var last: (sequence: Int64, hash: String)?
        var lastFailure: String?
        var stopped = false
        /// Set by `finish()`: the drain gives up after its next failure instead of retrying.
        var finishing = false
    }

    /// The store this writer appends to (readers may use it too).
    package let store: AuditStore
    private let capacity: Int
    private let byteCapacity: Int
    private let maximumBatch: Int
    private let commitDelay: Duration
    private let journalDelay: Duration
    private let retryInterval: Duration
    private let state = Mutex(State())
    /// Wakes the writer thread: work for an idle writer, or a commit due now.
    private let bell = Doorbell()
    /// Says that ``status``'s health may have changed, so its watcher need not poll (one consumer).
    package let healthChanges: AsyncStream<Void>
    private let healthChanged: AsyncStream<Void>.Continuation
    private let reserve: AuditReserve?
    /// When the writer last tried to set its spent reserve aside again.
    private let lastReserveAttempt = Mutex(ContinuousClock.now)

    /// - Parameters:
    ///   - capacity: the most records held at once (queued plus held after failures); at least 1.
    ///   - byteCapacity: about the most bytes they may hold (see `Pending.bytes`); a record is refused once that many
    ///     are held, so one record may pass the bound.
    ///   - maximumBatch: the most records per transaction; at least 1.
    ///   - commitDelay: how long audit records nobody waits for wait for company before they are committed.
    ///   - journalDelay: how long the event journal's lines wait for company; nil: as long as `commitDelay`.
    ///   - retryInterval: the pause between attempts while the store refuses writes.
    ///   - reserve: disk space the writer gives back when the disk fills (already allocated), or nil for none.
    package init(
        store: AuditStore, capacity: Int, byteCapacity: Int = 16 << 20, maximumBatch: Int, commitDelay: Duration = .zero,
        journalDelay: Duration? = nil, retryInterval: Duration, reserve: AuditReserve? = nil
    ) {
        self.store = store
        self.reserve = reserve
        self.capacity = max(1, capacity)
        self.byteCapacity = max(1, byteCapacity)
        self.maximumBatch = max(1, maximumBatch)
        self.commitDelay = commitDelay
        self.journalDelay = journalDelay ?? commitDelay
        self.retryInterval = retryInterval
        (healthChanges, healthChanged) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `entry` without waiting.
    /// - Returns: false when the queue was at its bound or the writer stopped; the record is then counted
    ///   as dropped.
    @discardableResult
    package func record(_ entry: AuditEntry) -> Bool {
        // nil: refused; otherwise whether the writer must be rung.
        let accepted: Bool? = state.withLock { state in
            guard !state.stopped, hasRoom(state) else {
                countDrop(&state)
                return nil
            }
            append(Pending(entry: entry, event: nil, waiter: nil), to: &state)
            let forward = bringsCommitForward(by: commitDelay, &state)
            return wakesIdleWriter(&state) || forward
        }
        if accepted == true { bell.ring() }
        return accepted != nil
    }

    /// Queues a published event for the event journal without waiting; one that finds the journal's half of the
    /// queue full is dropped and counted (a replay then reports it as a gap).
    package func journal(_ event: EncodedEvent) {
        let mustRing = state.withLock { state in
            guard !state.stopped, hasRoom(state), state.journalled < max(1, capacity / 2),
                  state.journalledBytes < max(1, byteCapacity / 2)
            else {
                state.eventsDropped += 1
                return false
            }
            let pending = Pending(entry: nil, event: event, waiter: nil)
            state.journalled += 1
            state.journalledBytes += pending.bytes
            append(pending, to: &state)
            let forward = bringsCommitForward(by: journalDelay, &state)
            return wakesIdleWriter(&state) || forward || state.journalled == Self.journalLinesPerCommit
        }
        if mustRing { bell.ring() }
    }

    /// Queues `entry` and returns once the transaction holding it committed.
    /// - Throws: ``AuditWriterError``: `queueFull` or `stopped` when it was not kept, `notDurable` when its
    ///   commit failed (it stays held and is retried).
    package func recordDurably(_ entry: AuditEntry) async throws -> AuditRecord {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AuditRecord, any Error>) in
            recordDurably(entry) { continuation.resume(with: $0.mapError { $0 }) }
        }
    }

    /// Queues `entry` without waiting and calls `completion` once the transaction holding it committed, or with
    /// the ``AuditWriterError`` that says why it is not durable (as ``recordDurably(_:)`` throws). `completion` runs
    /// on the writer's thread (or at once, on the caller's, when the record is refused) and must return promptly.
    package func recordDurably(_ entry: AuditEntry, then completion: @escaping Completion) {
        let refusal: AuditWriterError? = state.withLock { state in
            if state.stopped {
                countDrop(&state)
                return .stopped
            }
            guard hasRoom(state) else {
                countDrop(&state)
                return .queueFull
            }
            append(Pending(entry: entry, event: nil, waiter: completion), to: &state)
            state.waiting += 1
            state.isIdle = false
            return nil
        }
        if let refusal {
            completion(.failure(refusal))
        } else {
            // Ends the wait for company at once, or wakes an idle writer.
            bell.ring()
        }
    }

    /// The store, once every record queued before the call is committed, so what a reader finds includes everything
    /// recorded so far (the group commit would otherwise keep the newest records back for up to `commitDelay`). While
    /// the store refuses writes (its last commit failed) it returns at once with what is committed; `timeout` only
    /// bounds a writer that never gets to run.
    package func committedStore(timeout: Duration = .seconds(30)) async -> AuditStore {
        let target = state.withLock { state in
            state.flushers += 1
            state.isIdle = false
            return state.enqueued
        }
        bell.ring()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, state.withLock({ $0.dequeued < target && !$0.stopped && $0.lastFailure == nil }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        state.withLock { $0.flushers -= 1 }
        return store
    }

    /// The writer's health and counts, for the daemon's status and its technical alarm.
    package var status: AuditWriterStatus {
        state.withLock { state in
            let health: AuditWriterStatus.Health
            if let failure = state.lastFailure {
                health = .degraded(reason: failure)
            } else if state.dropped > 0 {
                health = .degraded(reason: "\(state.dropped) audit records dropped: queue full")
            } else if reserve?.stage == .halfReleased {
                health = .degraded(reason: Self.reserveInUse)
            } else {
                health = .healthy
            }
            return AuditWriterStatus(
                health: health, held: state.queue.count - state.journalled, dropped: state.dropped, written: state.written,
                lastSequence: state.last?.sequence, lastHash: state.last?.hash, eventsHeld: state.journalled,
                eventsDropped: state.eventsDropped
            )
        }
    }

    /// Drains the queue until ``finish()`` is called, then writes what is left until it is empty or a write fails. Records still held after that
    /// attempt are counted as dropped and their waiters told `stopped`. The work runs on the writer's own thread;
    /// this returns when that thread is done.
    package func run() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            RealtimeThread.start(name: "infusiond-audit", priority: SafetyPathScheduling.auditPriority, lockMemory: false) { _ in
                self.writeUntilFinished()
                done.resume()
            }
        }
    }

    /// The writer thread's loop.
    private func writeUntilFinished() {
        while true {
            let next = state.withLock { state -> (work: Bool, finishing: Bool) in
                let work = !state.queue.isEmpty
                if !work && !state.finishing { state.isIdle = true }
                return (work, state.finishing)
            }
            if next.finishing { break }
            guard next.work else {
                bell.wait()
                continue
            }
            waitForCompany()
            drain()
        }
        drain()
        let abandoned = state.withLock { state in
            state.stopped = true
            state.dropped += state.queue.count - state.journalled
            state.eventsDropped += state.journalled
            state.journalled = 0
            state.journalledBytes = 0
            state.queuedBytes = 0
            let waiters = state.queue.compactMap(\.waiter)
            state.waiting = 0
            state.dequeued += state.queue.count
            state.queue.removeAll()
            return waiters
        }
        for waiter in abandoned {
            waiter(.failure(.stopped))
        }
        healthChanged.yield()
        healthChanged.finish()
    }

    /// Asks ``run()`` to finish once the queue is drained or, while the store refuses writes, after one
    /// more attempt.
    package func finish() {
        state.withLock { state in
            state.finishing = true
            state.isIdle = false
        }
        bell.ring()
    }

    /// Whether a record just queued must ring the writer: it was idle (called with the lock held; the writer is not
    /// rung again until it goes idle again).
    private func wakesIdleWriter(_ state: inout State) -> Bool {
        guard state.isIdle else { return false }
        state.isIdle = false
        return true
    }

    /// Sets the commit's deadline to `delay` from now if that is sooner than the one set (called with the lock held,
    /// for a record just queued). Returns whether it brought the deadline forward while others waited, so the writer,
    /// waiting for company until the old deadline, must be rung to look again.
    private func bringsCommitForward(by delay: Duration, _ state: inout State) -> Bool {
        let due = ControlLoop.now().nanoseconds &+ delay.nanosecondsClamped
        guard let current = state.commitDueAt else {
            state.commitDueAt = due
            return false
        }
        guard due < current else { return false }
        state.commitDueAt = due
        return true
    }

    /// Counts a refused record (called with the lock held); the first one degrades the writer's health for good.
    private func countDrop(_ state: inout State) {
        state.dropped += 1
        if state.dropped == 1 { healthChanged.yield() }
    }

    /// Whether another record fits (called with the lock held).
    private func hasRoom(_ state: State) -> Bool {
        state.queue.count < capacity && state.queuedBytes < byteCapacity
    }

    /// Queues `pending` (called with the lock held).
    private func append(_ pending: Pending, to state: inout State) {
        state.enqueued += 1
        state.queue.append(pending)
        state.queuedBytes += pending.bytes
    }

    /// Whether what is queued should be committed without waiting for company: somebody waits for a record or for
    /// the store, the writer is finishing, or a full batch, or `journalLinesPerCommit` journal lines, are queued
    /// (called with the lock held).
    private func isCommitDue(_ state: State) -> Bool {
        state.waiting > 0 || state.flushers > 0 || state.finishing || state.queue.count >= maximumBatch
            || state.journalled >= Self.journalLinesPerCommit
    }

    /// Journal lines that are committed without waiting longer for company. Many chairs publish about a thousand
    /// lines a second: a second's worth in one transaction keeps the writer busy for milliseconds, and a chair
    /// command's record arriving then waits for all of it (its reply is durable only after). A tenth of that is a
    /// short transaction and still a tenth of the commits of one per reading.
    private static let journalLinesPerCommit = 128

    /// The group commit's wait: until the queued records' deadline (`commitDueAt`, which a record queued meanwhile
    /// may bring forward), unless a record somebody waits for is queued meanwhile, the queue already holds a full
    /// batch, or the writer is finishing.
    private func waitForCompany() {
        while true {
            let deadline = state.withLock { state in isCommitDue(state) ? nil : state.commitDueAt }
            guard let deadline, ControlLoop.now().nanoseconds < deadline else { return }
            bell.wait(until: deadline)
        }
    }

    /// Waits on the bell for up to `duration`, returning early once `done` holds (checked under the lock at each
    /// ring).
    private func waitOnBell(for duration: Duration, unless done: (State) -> Bool) {
        let deadline = ControlLoop.now().nanoseconds + duration.nanosecondsClamped
        while !state.withLock({ done($0) }), ControlLoop.now().nanoseconds < deadline {
            bell.wait(until: deadline)
        }
    }

    /// Writes batches until the queue is empty, or holds less than a batch nobody waits for, pausing `retryInterval`
    /// after each failure; once finishing, returns at the first failure.
    private func drain() {
        while true {
            switch drainOnce() {
            case .empty:
                return
            case .freedSpace:
                // Half the reserve was given back: the same batch again at once.
                continue
            case .wrote:
                restoreReserveNowAndThen()
                // What arrived during the commit waits for company again, unless its commit is due now.
                if !state.withLock({ isCommitDue($0) }) { return }
                continue
            case .failed:
                if state.withLock({ state in state.finishing }) { return }
                // The pause ends early only for `finish()`: new records must not make a failing store busier.
                waitOnBell(for: retryInterval) { $0.finishing }
                if state.withLock({ state in state.finishing }) { return }
            }
        }
    }

    private enum Attempt { case empty, wrote, freedSpace, failed }

    /// The health reason while the store writes into its reserve.
    package static let reserveInUse = "disk full: writing into the audit reserve; free space on the disk"

    private func drainOnce() -> Attempt {
        // Only this method removes from the head, so the first `batch.count` entries stay put while it writes.
        let batch = state.withLock { state in
            // Records queued from now on set a deadline of their own; what a partial batch leaves keeps this one,
            // which is no later than theirs. (Nil with records queued means: commit them now.)
            if state.queue.count <= maximumBatch { state.commitDueAt = nil }
            return Array(state.queue.prefix(maximumBatch))
        }
        guard !batch.isEmpty else { return .empty }
        do {
            let records = try store.append(batch.compactMap(\.entry), events: batch.compactMap(\.event))
            let (waiters, recovered) = state.withLock { state in
                let done = state.queue.prefix(batch.count).filter { $0.entry != nil }.map(\.waiter)
                state.waiting -= done.count { $0 != nil }
                state.journalled -= batch.count - records.count
                state.journalledBytes -= batch.reduce(0) { $0 + ($1.event == nil ? 0 : $1.bytes) }
                state.queuedBytes -= batch.reduce(0) { $0 + $1.bytes }
                state.dequeued += batch.count
                state.queue.removeFirst(batch.count)
                state.written += records.count
                if let newest = records.last { state.last = (newest.sequence, newest.hash) }
                defer { state.lastFailure = nil }
                return (done, state.lastFailure != nil)
            }
            if recovered { healthChanged.yield() }
            for (waiter, record) in zip(waiters, records) {
                waiter?(.success(record))
            }
            // Only now: the waiters' records were durable at the commit, and must not wait for the log's copy.
            store.checkpointIfDue()
            return .wrote
        } catch {
            if Self.isDiskFull(error), releaseReserve() { return .freedSpace }
            let reason = Self.describe(error)
            let waiters = state.withLock { state in
                state.lastFailure = reason
                var waiting: [Completion] = []
                for index in state.queue.indices {
                    if let waiter = state.queue[index].waiter {
                        waiting.append(waiter)
                        state.queue[index].waiter = nil
                        state.waiting -= 1
                    }
                }
                return waiting
            }
            healthChanged.yield()
            for waiter in waiters {
                waiter(.failure(.notDurable(reason: reason)))
            }
            return .failed
        }
    }

    /// Gives back what the disk needs from the reserve: its first half while running, the rest once finishing.
    /// Returns whether space was freed, so the batch is worth retrying at once.
    private func releaseReserve() -> Bool {
        guard let reserve else { return false }
        let released =
            state.withLock({ $0.finishing }) ? reserve.releaseFirstHalf() || reserve.releaseAll() : reserve.releaseFirstHalf()
        if released { healthChanged.yield() }
        return released
    }

    /// After a write that went through, tries (once per `retryInterval`) to set a spent reserve aside again, once
    /// somebody freed space (`AuditReserve.spaceHasReturned`); the store is healthy again.
    private func restoreReserveNowAndThen() {
        guard let reserve, reserve.stage == .halfReleased, !state.withLock({ $0.finishing }) else { return }
        let due = lastReserveAttempt.withLock { last in
            guard ContinuousClock.now - last >= retryInterval else { return false }
            last = ContinuousClock.now
            return true
        }
        if due, reserve.spaceHasReturned {
            reserve.allocate()
            if reserve.stage != .halfReleased { healthChanged.yield() }
        }
    }

    private static func isDiskFull(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL
    }

    private static func describe(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            if databaseError.resultCode == .SQLITE_FULL {
                return "disk full (SQLITE_FULL)"
            }
            return "write failed: \(databaseError.resultCode) \(databaseError.message ?? "")"
        }
        return "write failed: \(error)"
    }
}
