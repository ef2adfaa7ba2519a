import GRDB
internal import GRDBSQLite
internal import Synchronization

/// When SQLite copies its write-ahead log back into the database file (a checkpoint): after a commit's waiters were
/// told, never inside the commit.
///
/// SQLite's automatic checkpoint runs inside the `COMMIT` that takes the log past 1,000 pages: that commit returns
/// only after every logged page was written back and the database file synced, so a chair command whose record was
/// in it had its reply held for housekeeping that its durability does not need (the record is durable once the log
/// is synced). The store turns the automatic checkpoint off by counting the log's pages with SQLite's commit hook
/// (which replaces it) and ``AuditWriter`` calls ``checkpointIfDue()`` on its own thread once it has told the
/// batch's waiters, before its next commit. The checkpoints fall between the same commits as before and in the same
/// order, so what reaches the disk, a full one included, does not change; only who waits for them does
/// (docs/PERFORMANCE.md, seventh round).
extension AuditStore {
    /// Pages the log may hold before ``checkpointIfDue()`` copies them back, unless the store was opened with another
    /// figure: SQLite's default for its automatic checkpoint (https://sqlite.org/pragma.html#pragma_wal_autocheckpoint).
    package static let defaultCheckpointPages = 1_000

    /// Installs the commit hook on the writer connection of a file's pool (an in-memory store has no log).
    func countLogPages() {
        pool.writeWithoutTransaction { db in
            _ = sqlite3_wal_hook(db.sqliteConnection, countLoggedPages, Unmanaged.passUnretained(logPages).toOpaque())
        }
    }

    /// Copies the log back when the last commit left at least `checkpointPages` pages in it: passive, as SQLite's
    /// own checkpoint, so it waits for no reader and copies what none still needs. Call it from the writer's thread
    /// between commits. A failure (a full disk) leaves the log as it was; the next commit's count asks again, as the
    /// automatic checkpoint would have.
    package func checkpointIfDue() {
        guard logPages.pages.load(ordering: .relaxed) >= checkpointPages else { return }
        logPages.pages.store(0, ordering: .relaxed)
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
}

/// The pages in the write-ahead log after the writer connection's last commit, as SQLite's commit hook reports them.
final class LogPageCount: Sendable {
    let pages = Atomic<Int>(0)
}

/// SQLite's commit hook (`sqlite3_wal_hook`): runs on the committing thread after each commit, with the log's pages.
private let countLoggedPages: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32)
    -> Int32 = { context, _, _, pages in
        if let context {
            Unmanaged<LogPageCount>.fromOpaque(context).takeUnretainedValue().pages.store(Int(pages), ordering: .relaxed)
        }
        return SQLITE_OK
    }
