import GRDB
@testable import InfusionDaemon
import Testing
import WireProtocol

struct AuditStoreTests {
    @Test func opensInWALWithFullSync() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let settings = try store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)  // FULL
        try store.close()
    }

    /// Every connection, the writer's and the readers', keeps the small page cache (negative: KiB).
    @Test func everyConnectionHasTheSmallPageCache() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let writer = try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
        let reader = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
        #expect(writer == -AuditStore.pageCacheKiB)
        #expect(reader == -AuditStore.pageCacheKiB)
        try store.close()
    }

    /// The event journal keeps its newest events, counted across a reopening; a lowered bound is reached over
    /// several commits, at most `prunedPerCommit` deleted by each.
    @Test func theEventJournalKeepsItsNewestEvents() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let event = { (seq: Int) in EncodedEvent("notice", topic: .notices, sequence: UInt64(seq), data: Array("{}".utf8)) }
        let rows = { (store: AuditStore) in
            try store.pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log"), try Int.fetchOne(db, sql: "SELECT rows FROM event_log_size"))
            }
        }
        var store = try AuditStore(path: scratch.databasePath, retainedJournalEvents: 3_000)
        for batch in 0..<30 {
            _ = try store.append([], events: (1...100).map { event(batch * 100 + $0) })
        }
        _ = try store.append([], events: [event(3_001)])
        #expect(try rows(store) == (3_000, 3_000))
        try store.close()

        store = try AuditStore(path: scratch.databasePath, retainedJournalEvents: 10)
        _ = try store.append([], events: [event(3_002)])
        let afterOne = 3_001 - AuditStore.prunedPerCommit
        #expect(try rows(store) == (afterOne, afterOne))
        _ = try store.append([], events: [event(3_003)])
        _ = try store.append([], events: [event(3_004)])
        #expect(try rows(store) == (10, 10))
        let kept = try store.pool.read { db in try Int.fetchAll(db, sql: "SELECT seq FROM event_log ORDER BY seq") }
        #expect(kept == Array(2_995...3_004))
        try store.close()
    }

    @Test func appendThenReadBackPerChair() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let entries = (1...6).map { auditSampleEntry($0, chair: $0 % 3 == 0 ? "chair-2" : "chair-1") }
        let stored = try store.append(entries)
        #expect(stored.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(stored.first?.previousHash == AuditChain.genesisHash)

        let chairOne = try store.records(chairID: "chair-1")
        #expect(chairOne.map(\.entry) == entries.filter { $0.chairID == "chair-1" })
        #expect(chairOne.map(\.sequence) == [1, 2, 4, 5])
        #expect(try store.records(chairID: "chair-2").map(\.entry) == [entries[2], entries[5]])
        #expect(try store.records(chairID: "chair-1", afterSequence: 2, limit: 1).map(\.sequence) == [4])
        #expect(try store.lastRecord() == stored.last)
        try store.close()
    }

    @Test func chainLinksAndVerifies() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let first = try store.append([auditSampleEntry(1), auditSampleEntry(2)])
        let second = try store.append([auditSampleEntry(3)])
        let all = first + second
        for (earlier, later) in zip(all, all.dropFirst()) {
            #expect(later.previousHash == earlier.hash)
        }
        for record in all {
            #expect(record.hash == AuditChain.hash(sequence: record.sequence, entry: record.entry,
                                                   previousHash: record.previousHash))
        }
        #expect(try store.verify() == nil)
        try store.close()
    }

    @Test func tamperedPayloadIsNamedAtThatRow() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        _ = try store.append((1...10).map { auditSampleEntry($0) })
        let raw = try DatabaseQueue(path: scratch.databasePath)
        try raw.write { db in
            try db.execute(sql: #"UPDATE audit_record SET payload = '{"index":7,"rate":99}' WHERE sequence = 7"#)
        }
        #expect(try store.verify() == 7)
        try raw.close()
        try store.close()
    }

    @Test func deletedRowIsNamedWhereTheGapIs() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        _ = try store.append((1...5).map { auditSampleEntry($0) })
        let raw = try DatabaseQueue(path: scratch.databasePath)
        try raw.write { db in try db.execute(sql: "DELETE FROM audit_record WHERE sequence = 3") }
        #expect(try store.verify() == 3)
        try raw.close()
        try store.close()
    }

    @Test func wronglyTypedColumnIsReportedNotTrapped() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        _ = try store.append((1...3).map { auditSampleEntry($0) })
        let raw = try DatabaseQueue(path: scratch.databasePath)
        try raw.write { db in try db.execute(sql: "UPDATE audit_record SET monotonic_ns = 'soon' WHERE sequence = 2") }
        #expect(try store.verify() == 2)
        #expect(throws: AuditStoreError.unreadableRecord(sequence: 2)) { try store.records(chairID: "chair-1") }
        try raw.close()
        try store.close()
    }

    @Test func reopenedStoreContinuesTheChain() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let before = try AuditStore(path: scratch.databasePath)
        let firstRun = try before.append([auditSampleEntry(1), auditSampleEntry(2)])
        try before.close()

        let after = try AuditStore(path: scratch.databasePath)
        let secondRun = try after.append([auditSampleEntry(3)])
        #expect(secondRun.first?.sequence == 3)
        #expect(secondRun.first?.previousHash == firstRun.last?.hash)
        #expect(try after.verify() == nil)
        try after.close()
    }
}
