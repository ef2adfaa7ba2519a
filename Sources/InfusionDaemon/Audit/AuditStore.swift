import GRDB
package import WireProtocol

/// The audit log on SQLite: WAL mode, synchronous=FULL, one table of hash-chained records.
///
/// `append` writes a batch in one transaction and returns only after it committed; with synchronous=FULL a
/// committed transaction survives power loss. The chain position is read inside that transaction, so the store
/// holds no state of its own and a failed (rolled back) batch leaves the chain as it was.
package final class AuditStore: Sendable {
    /// The file's connection pool (a WAL database: readers never wait for the writer); a single in-memory
    /// connection for `inMemory()`.
    let pool: any DatabaseWriter
    /// How many of the newest events the event journal keeps (`AuditStore+EventJournal.swift`).
    let retainedJournalEvents: Int
    /// The write-ahead log's pages after the last commit (`AuditStore+Checkpoint.swift`); it stays 0 in memory.
    let logPages = LogPageCount()
    /// The log's pages that make ``checkpointIfDue()`` copy it back.
    let checkpointPages: Int

    /// Opens the database at `path`, creating it and migrating its schema as needed; its event journal keeps the
    /// newest `retainedJournalEvents` events, and its write-ahead log is copied back once it holds `checkpointPages`
    /// pages (`AuditStore+Checkpoint.swift`).
    /// - Throws: a `DatabaseError` when the file cannot be opened, set to WAL, or migrated.
    package convenience init(
        path: String, retainedJournalEvents: Int = AuditSettings().journalRetainedEvents,
        checkpointPages: Int = AuditStore.defaultCheckpointPages
    ) throws {
        var configuration = Configuration()
        configuration.label = "infusiond.audit"
        configuration.prepareDatabase { db in
            // SQLite's default page cache is 2 MB per connection, resident and locked under mlockall. Appending
            // touches a handful of pages (the table's and its indexes' rightmost paths) and the readers scan in
            // order, so 512 KB is plenty (docs/PERFORMANCE.md, memory).
            try db.execute(sql: "PRAGMA cache_size = -\(Self.pageCacheKiB)")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets synchronous=NORMAL on the writer when it enables WAL; an audit record must survive power
        // loss once acknowledged, so the writer connection (which lives as long as the pool) is raised to FULL.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try self.init(migrating: pool, retainedJournalEvents: retainedJournalEvents, checkpointPages: checkpointPages)
        countLogPages()
    }

    /// The page cache of each connection to the file, in KiB.
    static let pageCacheKiB = 512

    /// A store in memory: the same SQLite schema, chain and queries, nothing on disk and so nothing durable. For
    /// tests of what the store computes; a test of durability (a crash, a full disk) opens a file.
    package static func inMemory(retainedJournalEvents: Int = AuditSettings().journalRetainedEvents) throws -> AuditStore {
        var configuration = Configuration()
        configuration.label = "infusiond.audit.memory"
        return try AuditStore(
            migrating: DatabaseQueue(configuration: configuration), retainedJournalEvents: retainedJournalEvents,
            checkpointPages: defaultCheckpointPages)
    }

    private init(migrating database: any DatabaseWriter, retainedJournalEvents: Int, checkpointPages: Int) throws {
        self.retainedJournalEvents = retainedJournalEvents
        self.checkpointPages = checkpointPages
        try Self.migrator.migrate(database)
        pool = database
    }

    /// The journal mode and synchronous level of the writer connection, for diagnostics and tests.
    package func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try pool.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, level)
        }
    }

    /// Appends `entries` in order, in one transaction, chained to the last stored record.
    /// - Returns: the stored records, once the transaction committed.
    /// - Throws: a `DatabaseError` (for example SQLITE_FULL); then nothing of the batch was stored.
    package func append(_ entries: [AuditEntry]) throws -> [AuditRecord] {
        try append(entries, events: [])
    }

    /// The asynchronous form of ``append(_:)``; the write runs on GRDB's writer queue, not the caller's thread.
    package func append(_ entries: [AuditEntry]) async throws -> [AuditRecord] {
        try await append(entries, events: [])
    }

    /// Appends `entries` to the chain and `events` to the event journal (`AuditStore+EventJournal.swift`) in one
    /// transaction: a published event becomes replayable exactly when the records written with it become durable.
    /// Runs on the calling thread (the audit writer's own) and returns once the transaction committed. It never
    /// copies the write-ahead log back: the caller does, with ``checkpointIfDue()``, as ``AuditWriter`` does.
    package func append(_ entries: [AuditEntry], events: [EncodedEvent]) throws -> [AuditRecord] {
        try pool.write { db in
            try Self.appendEvents(events, keepingNewest: retainedJournalEvents, in: db)
            return try Self.append(entries, in: db)
        }
    }

    /// The asynchronous form of ``append(_:events:)``; the write runs on GRDB's writer queue, not the caller's thread.
    package func append(_ entries: [AuditEntry], events: [EncodedEvent]) async throws -> [AuditRecord] {
        try await pool.write { db in
            try Self.appendEvents(events, keepingNewest: retainedJournalEvents, in: db)
            return try Self.append(entries, in: db)
        }
    }

    /// The last stored record, or nil for an empty log.
    /// - Throws: ``AuditStoreError/unreadableRecord(sequence:)`` when the row was altered beyond reading.
    package func lastRecord() throws -> AuditRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit_record ORDER BY sequence DESC LIMIT 1")
                .map(Self.requireRecord(from:))
        }
    }

    /// The last record of `kind` for one chair, or nil when there is none.
    /// - Throws: ``AuditStoreError/unreadableRecord(sequence:)`` when the row was altered beyond reading.
    package func lastRecord(kind: AuditKind, chairID: String) throws -> AuditRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM audit_record WHERE chair_id = ? AND kind = ? ORDER BY sequence DESC LIMIT 1",
                arguments: [chairID, kind.rawValue]
            ).map(Self.requireRecord(from:))
        }
    }

    /// The records of a chair's latest session, from its intake on, in chain order; empty when the chair never
    /// had one. Reads on GRDB's reader pool.
    package func latestSessionRecords(chairID: String) async throws -> [AuditRecord] {
        try await pool.read { db in
            // The recorder writes payloads with sorted keys, so an intake transition always reads `"to":"intake"`.
            let start = try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(sequence) FROM audit_record
                    WHERE chair_id = ? AND kind = 'session' AND payload LIKE '%"to":"intake"%'
                    """,
                arguments: [chairID])
            guard let start else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM audit_record WHERE chair_id = ? AND sequence >= ? ORDER BY sequence",
                arguments: [chairID, start]
            ).map(Self.requireRecord(from:))
        }
    }

    /// The stored hash of record `sequence`, or nil when there is no such record.
    package func hash(ofSequence sequence: Int64) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM audit_record WHERE sequence = ?", arguments: [sequence])
        }
    }

    /// The last record of `kind` for one chair whose payload contains `text` (payload keys are sorted, so a
    /// field reads the same in every record).
    package func lastRecord(kind: AuditKind, chairID: String, payloadContaining text: String) throws -> AuditRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM audit_record WHERE chair_id = ? AND kind = ? AND instr(payload, ?) > 0
                    ORDER BY sequence DESC LIMIT 1
                    """,
                arguments: [chairID, kind.rawValue, text]
            ).map(Self.requireRecord(from:))
        }
    }

    /// How many records the store holds.
    package func count() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_record") ?? 0 }
    }

    /// The asynchronous form of ``verify()``: reads on GRDB's reader pool, not on the caller's thread.
    package func verify() async throws -> Int64? {
        try await pool.read { db in try Self.verify(in: db) }
    }

    /// Records of one chair in chain order, starting after `afterSequence`, at most `limit` of them.
    /// - Throws: ``AuditStoreError/unreadableRecord(sequence:)`` when a row was altered beyond reading.
    package func records(chairID: String, afterSequence: Int64 = 0, limit: Int = 1000) throws -> [AuditRecord] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit_record WHERE chair_id = ? AND sequence > ?
                    ORDER BY sequence LIMIT ?
                    """,
                arguments: [chairID, afterSequence, limit]
            ).map(Self.requireRecord(from:))
        }
    }

    /// Walks the whole chain from the first record.
    /// - Returns: the sequence number of the first record that does not verify (its hash does not match its
    ///   fields, it does not link to the record before, its sequence skips, or a field is unreadable), or nil
    ///   when the chain is intact.
    package func verify() throws -> Int64? {
        try pool.read { db in try Self.verify(in: db) }
    }

    private static func verify(in db: Database) throws -> Int64? {
        var expectedPrevious = AuditChain.genesisHash
        var expectedSequence: Int64 = 1
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_record ORDER BY sequence")
        while let row = try rows.next() {
            let sequence = Int64.fromDatabaseValue(row["sequence"]) ?? expectedSequence
            guard sequence == expectedSequence, let record = Self.record(from: row),
                record.previousHash == expectedPrevious,
                AuditChain.hash(sequence: sequence, entry: record.entry, previousHash: record.previousHash)
                    == record.hash
            else {
                return min(sequence, expectedSequence)
            }
            expectedPrevious = record.hash
            expectedSequence = sequence + 1
        }
        return nil
    }

    /// Closes the database; later calls throw.
    package func close() throws {
        try pool.close()
    }

    private static func append(_ entries: [AuditEntry], in db: Database) throws -> [AuditRecord] {
        // Cached: every batch asks, and parsing the query anew was a visible part of a commit's CPU.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM audit_record ORDER BY sequence DESC LIMIT 1"))
        var sequence = last.flatMap { Int64.fromDatabaseValue($0["sequence"]) } ?? 0
        var previousHash = last.flatMap { String.fromDatabaseValue($0["hash"]) } ?? AuditChain.genesisHash
        var stored: [AuditRecord] = []
        stored.reserveCapacity(entries.count)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO audit_record (sequence, kind, chair_id, monotonic_ns, wall_clock, actor_uid, actor_role,
                    payload, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for entry in entries {
            sequence += 1
            let hash = AuditChain.hash(sequence: sequence, entry: entry, previousHash: previousHash)
            try statement.execute(arguments: [
                sequence, entry.kind.rawValue, entry.chairID, entry.monotonicNanoseconds, entry.wallClock,
                entry.actor.map { Int64($0.uid) }, entry.actor?.role, entry.payload, previousHash, hash,
            ])
            try indexPatientSession(entry, sequence: sequence, in: db)
            stored.append(AuditRecord(sequence: sequence, entry: entry, previousHash: previousHash, hash: hash))
            previousHash = hash
        }
        return stored
    }

    static func requireRecord(from row: Row) throws -> AuditRecord {
        guard let record = record(from: row) else {
            throw AuditStoreError.unreadableRecord(sequence: Int64.fromDatabaseValue(row["sequence"]))
        }
        return record
    }

    /// Reads a row without trapping: a row altered outside the store may hold any type in any column.
    private static func record(from row: Row) -> AuditRecord? {
        guard let sequence = Int64.fromDatabaseValue(row["sequence"]),
            let kindText = String.fromDatabaseValue(row["kind"]), let kind = AuditKind(rawValue: kindText),
            let chairID = String.fromDatabaseValue(row["chair_id"]),
            let monotonic = Int64.fromDatabaseValue(row["monotonic_ns"]),
            let wallClock = String.fromDatabaseValue(row["wall_clock"]),
            let payload = String.fromDatabaseValue(row["payload"]),
            let previousHash = String.fromDatabaseValue(row["previous_hash"]),
            let hash = String.fromDatabaseValue(row["hash"])
        else { return nil }
        var actor: AuditActor?
        if let uid = Int64.fromDatabaseValue(row["actor_uid"]), let role = String.fromDatabaseValue(row["actor_role"]),
            let uid32 = UInt32(exactly: uid)
        {
            actor = AuditActor(uid: uid32, role: role)
        }
        let entry = AuditEntry(
            kind: kind, chairID: chairID, monotonicNanoseconds: monotonic, wallClock: wallClock, actor: actor,
            payload: payload
        )
        return AuditRecord(sequence: sequence, entry: entry, previousHash: previousHash, hash: hash)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit-record") { db in
            // `sequence` is the rowid; the store assigns it, so a deleted row leaves a visible gap.
            try db.execute(
                sql: """
                    CREATE TABLE audit_record (
                        sequence INTEGER PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        chair_id TEXT NOT NULL,
                        monotonic_ns INTEGER NOT NULL,
                        wall_clock TEXT NOT NULL,
                        actor_uid INTEGER,
                        actor_role TEXT,
                        payload TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_record_by_chair ON audit_record (chair_id, sequence);
                    """
            )
        }
        migrator.registerMigration("v2-event-journal", migrate: Self.createEventJournal)
        migrator.registerMigration("v3-patient-session", migrate: Self.createPatientIndex)
        migrator.registerMigration("v4-event-log-size", migrate: Self.countEventJournal)
        return migrator
    }
}
