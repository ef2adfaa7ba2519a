import GRDB
package import WireProtocol

/// The event journal: every topic event the daemon published, as the line watchers read, keyed by its `seq`,
/// so `watch` `since` can replay what a client missed, across the daemon's restarts (docs/PROTOCOL.md
/// "Event cursor"). Not part of the hash chain: the audit records are the evidence; this is a delivery aid.
///
/// Numbering runs: each daemon start begins a run. A run that ended cleanly with every event durable is
/// continued by the next (no gap); after a crash the next run starts at the next multiple of 2^32, above any
/// number the crashed run can have handed out but not written, so a number is never used for two events.
extension AuditStore {
    /// The numbers a crashed run may have used beyond its last durable event: the next run starts past them.
    static let crashedRunSpan: UInt64 = 1 << 32

    static func createEventJournal(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE event_log (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    topic TEXT NOT NULL,
                    line TEXT NOT NULL
                );
                CREATE TABLE event_run (
                    start_seq INTEGER PRIMARY KEY NOT NULL,
                    clean_end_seq INTEGER
                );
                """)
    }

    /// The journal's row count, kept in a table of its own (SQLite counts a table's rows only by reading them all):
    /// pruning needs it at every commit.
    static func countEventJournal(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE event_log_size (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    rows INTEGER NOT NULL
                );
                INSERT INTO event_log_size (id, rows) VALUES (1, (SELECT count(*) FROM event_log));
                """)
    }

    /// At most this many old events are deleted per commit: a lowered bound is reached over several commits rather
    /// than in one long transaction that a chair command's record would wait behind.
    static let prunedPerCommit = 1_024

    /// Writes `events` and deletes the oldest beyond the newest `retained`, in the caller's transaction.
    static func appendEvents(_ events: [EncodedEvent], keepingNewest retained: Int, in db: Database) throws {
        guard !events.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO event_log (seq, topic, line) VALUES (?, ?, ?)")
        for event in events {
            // The stored line has no newline: a replay appends it.
            try statement.execute(arguments: [Int64(event.sequence), event.topic.rawValue, String(decoding: event.line.dropLast(), as: UTF8.self)])
        }
        let rows = try Int.fetchOne(
            db.cachedStatement(sql: "UPDATE event_log_size SET rows = rows + ? RETURNING rows"), arguments: [events.count]) ?? 0
        guard rows > retained else { return }
        try db.cachedStatement(sql: "DELETE FROM event_log WHERE seq IN (SELECT seq FROM event_log ORDER BY seq LIMIT ?)")
            .execute(arguments: [min(rows - retained, prunedPerCommit)])
        try db.cachedStatement(sql: "UPDATE event_log_size SET rows = rows - ?").execute(arguments: [db.changesCount])
    }

    /// The oldest event the journal still holds, or nil when it is empty: numbers before it that a replay asks for
    /// were pruned (or never used).
    package func oldestJournalledSequence() async throws -> UInt64? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT min(seq) FROM event_log").map(UInt64.init) }
    }

    /// Starts this daemon's run of event numbers and returns its first number: one past the last run's clean end,
    /// or past the crashed run's span (see the type's comment). 1 for an empty journal.
    package func beginEventRun() throws -> UInt64 {
        try pool.write { db in
            let lastEvent = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM event_log").map(UInt64.init) ?? 0
            let lastRun = try Row.fetchOne(db, sql: "SELECT start_seq, clean_end_seq FROM event_run ORDER BY start_seq DESC LIMIT 1")
            let start: UInt64
            if let lastRun {
                let runStart = UInt64(Int64.fromDatabaseValue(lastRun["start_seq"]) ?? 0)
                if let cleanEnd = Int64.fromDatabaseValue(lastRun["clean_end_seq"]).map(UInt64.init), cleanEnd >= lastEvent {
                    start = cleanEnd + 1
                } else {
                    start = (max(lastEvent, runStart) / Self.crashedRunSpan + 1) * Self.crashedRunSpan
                }
            } else {
                start = lastEvent + 1
            }
            // A clean run that published nothing leaves `start` equal to its own start: this run takes its row.
            try db.execute(sql: "INSERT OR REPLACE INTO event_run (start_seq) VALUES (?)", arguments: [Int64(start)])
            return start
        }
    }

    /// Marks the run that began at `start` as ended cleanly at `lastSequence` (its last published event), if the
    /// journal holds every event of it up to there; otherwise leaves it open, as after a crash.
    /// - Returns: whether the run was closed cleanly.
    @discardableResult
    package func endEventRun(start: UInt64, lastSequence: UInt64) throws -> Bool {
        try pool.write { db in
            // A long run's first events may have been pruned meanwhile: what the journal still holds of it must be whole.
            let oldest = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM event_log").map(UInt64.init) ?? start
            let first = max(start, oldest)
            let count = try Int64.fetchOne(
                db, sql: "SELECT count(*) FROM event_log WHERE seq >= ? AND seq <= ?",
                arguments: [Int64(first), Int64(lastSequence)]) ?? 0
            guard lastSequence < first || UInt64(count) == lastSequence - first + 1 else { return false }
            try db.execute(
                sql: "UPDATE event_run SET clean_end_seq = ? WHERE start_seq = ?",
                arguments: [Int64(max(lastSequence, start - 1)), Int64(start)])
            return true
        }
    }

    /// Journal events numbered after `sequence`, in order, at most `limit` of them (of every topic: the caller
    /// filters, and needs the numbers to tell a hole from another topic's event).
    package func events(after sequence: UInt64, limit: Int) async throws -> [EncodedEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, topic, line FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [Int64(clamping: sequence), limit]
            ).compactMap { row in
                guard let seq = Int64.fromDatabaseValue(row["seq"]), let topicName = String.fromDatabaseValue(row["topic"]),
                    let topic = Topic(rawValue: topicName), let line = String.fromDatabaseValue(row["line"])
                else { return nil }
                return EncodedEvent(sequence: UInt64(seq), topic: topic, line: Array(line.utf8) + [UInt8(ascii: "\n")])
            }
        }
    }
}
