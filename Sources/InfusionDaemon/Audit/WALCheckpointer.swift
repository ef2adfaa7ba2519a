import Dispatch
import GRDB
import Synchronization

/// Copies the audit store's write-ahead log back into its database file on a thread of its own, so that no commit
/// pays for it.
///
/// By SQLite's default the connection whose commit takes the log past 1,000 pages copies it back there and then,
/// with an fsync of the database file besides the commit's own: that commit, at times a chair command's whose reply
/// waits for it, takes several times as long (docs/PERFORMANCE.md, fifth round). Here the writer's own checkpoint is
/// only a backstop (``AuditStore/backstopCheckpointPages``); each commit tells this checkpointer, which at most once
/// an `interval` runs a passive checkpoint on a connection of its own. A passive checkpoint copies what no reader
/// still needs and never holds up the writer: SQLite lets one checkpoint run beside the one writer, and a commit made
/// meanwhile is simply copied by the next round. The log file is not truncated; once everything in it is copied the
/// writer starts it again from the beginning, so it stays about as large as a few seconds of commits.
final class WALCheckpointer: Sendable {
    /// The least time between two checkpoints.
    static let interval = Duration.seconds(1)

    private let bell = Doorbell()
    /// A commit happened that no checkpoint has copied yet; the thread was rung for it (one ring per round).
    private let pending = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Signalled once the thread has ended and closed its connection.
    private let ended = DispatchSemaphore(value: 0)

    /// Opens a connection of its own to the store's file at `path` (already in WAL mode) and starts the thread
    /// (`infusiond-wal`, normal priority: it is no part of a safety path).
    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "infusiond.audit.checkpoint"
        configuration.prepareDatabase { db in
            // The checkpoint copies log frames into the file without the page cache; the default 2 MB would only
            // sit in locked memory. FULL syncs the log before copying and the file after, as the writer would.
            try db.execute(sql: "PRAGMA cache_size = -64")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        RealtimeThread.start(name: "infusiond-wal", priority: nil, lockMemory: false) { [self] _ in
            checkpointUntilStopped(connection)
            try? connection.close()
            ended.signal()
        }
    }

    /// Says that a transaction was committed; cheap (one atomic exchange), and rings the thread only when no round
    /// is pending already.
    func committed() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        bell.ring()
    }

    /// Ends the thread after its current round and returns once its connection is closed; at once when stopped
    /// already.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        bell.ring()
        ended.wait()
    }

    private func checkpointUntilStopped(_ connection: DatabaseQueue) {
        var lastRound = ControlLoop.now().nanoseconds
        while true {
            bell.wait()
            // Commits that come during the wait join this round.
            let due = lastRound + Self.interval.nanosecondsClamped
            while !stopping.load(ordering: .acquiring), ControlLoop.now().nanoseconds < due {
                bell.wait(until: due)
            }
            if stopping.load(ordering: .acquiring) { return }
            pending.store(false, ordering: .releasing)
            // A failure (SQLITE_BUSY while the writer's backstop checkpoint runs, say) leaves the frames for the next
            // round; the log only grows meanwhile, and the backstop bounds it.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            lastRound = ControlLoop.now().nanoseconds
        }
    }
}
