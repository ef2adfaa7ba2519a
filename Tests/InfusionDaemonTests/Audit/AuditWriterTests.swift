import Foundation
@testable import InfusionDaemon
import Testing
import WireProtocol

struct AuditWriterTests {
    @Test func durableRecordIsVisibleToAnotherConnection() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 8, retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        writer.record(auditSampleEntry(1))
        let durable = try await writer.recordDurably(auditSampleEntry(2))
        #expect(durable.sequence == 2)

        let other = try AuditStore(path: scratch.databasePath)
        #expect(try other.lastRecord() == durable)
        #expect(try await other.verify() == nil)
        try other.close()

        writer.finish()
        await runner.value
        #expect(writer.status == AuditWriterStatus(
            health: .healthy, held: 0, dropped: 0, written: 2, lastSequence: durable.sequence, lastHash: durable.hash))
        await #expect(throws: AuditWriterError.stopped) { try await writer.recordDurably(auditSampleEntry(3)) }
        #expect(writer.status.dropped == 1)
        try store.close()
    }

    @Test func overflowIsCountedNeverSilent() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let writer = AuditWriter(store: store, capacity: 3, maximumBatch: 2, retryInterval: .milliseconds(10))
        // Not yet running, so nothing drains and the bound is reached deterministically.
        let accepted = (1...5).map { writer.record(auditSampleEntry($0)) }
        #expect(accepted == [true, true, true, false, false])
        await #expect(throws: AuditWriterError.queueFull) { try await writer.recordDurably(auditSampleEntry(6)) }
        let status = writer.status
        #expect(status.held == 3)
        #expect(status.dropped == 3)
        #expect(status.health == .degraded(reason: "3 audit records dropped: queue full"))

        writer.finish()
        await writer.run()
        #expect(try store.records(chairID: "chair-1").map(\.entry) == (1...3).map { auditSampleEntry($0) })
        #expect(writer.status.written == 3)
        #expect(writer.status.held == 0)
        #expect(writer.status.dropped == 3)
        try store.close()
    }

    /// Bounded in bytes as well as records: large records reach the byte bound long before the count (issue 21).
    @Test func largeRecordsAreBoundedByBytesBeforeTheCount() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(store: store, capacity: 1_000, byteCapacity: 100_000, maximumBatch: 8, retryInterval: .milliseconds(10))
        // Not yet running, so nothing drains and the bound is reached deterministically.
        let accepted = (1...4).map { writer.record(auditSampleEntry($0, payloadBytes: 40_000)) }
        #expect(accepted == [true, true, true, false], "the bound is checked before a record: one may pass it")
        #expect(writer.status.dropped == 1)
        writer.finish()
        await writer.run()
        #expect(writer.status.written == 3)
    }

    /// Group commit: records nobody waits for wait for company up to the commit delay; a record somebody waits for
    /// ends the wait at once and commits with them.
    @Test func aDurableRecordEndsTheCommitDelayAndCarriesWhatWaited() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 64, maximumBatch: 64, commitDelay: .seconds(600), retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        for index in 1...3 { writer.record(auditSampleEntry(index)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(writer.status.written == 0, "vitals wait for company within the commit delay")
        let durable = try await writer.recordDurably(auditSampleEntry(4))
        #expect(durable.sequence == 4)
        #expect(writer.status.written == 4, "what waited is committed with the command's record")
        writer.finish()
        await runner.value
    }

    /// A reader (report, course, audit-verify) asks for the store once what was recorded so far is committed.
    @Test func aReaderFindsEverythingRecordedBeforeItAsked() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 64, maximumBatch: 64, commitDelay: .seconds(600), retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        for index in 1...3 { writer.record(auditSampleEntry(index)) }
        let committed = await writer.committedStore()
        #expect(try committed.records(chairID: "chair-1").map(\.entry) == (1...3).map { auditSampleEntry($0) })
        writer.finish()
        await runner.value
    }

    @Test func recordsNobodyWaitsForAreCommittedAfterTheDelay() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 64, maximumBatch: 64, commitDelay: .milliseconds(20), retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        for index in 1...3 { writer.record(auditSampleEntry(index)) }
        for _ in 0..<500 where writer.status.written < 3 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(writer.status.written == 3)
        #expect(try store.records(chairID: "chair-1").map(\.entry) == (1...3).map { auditSampleEntry($0) })
        writer.finish()
        await runner.value
    }

    /// The event journal's lines wait up to the journal delay (a delivery aid), audit records only up to the commit
    /// delay; an audit record queued while lines wait brings their commit forward, and they commit together.
    @Test func journalLinesWaitLongerUntilAnAuditRecordBringsTheCommitForward() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 64, maximumBatch: 64, commitDelay: .milliseconds(20), journalDelay: .seconds(600),
            retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        let lines = (1...3).map { EncodedEvent("vital", topic: .vitals, sequence: UInt64($0), data: Array("{}".utf8)) }
        for line in lines { writer.journal(line) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(writer.status.eventsHeld == 3, "journal lines wait for company well past the commit delay")
        #expect(try await store.events(after: 0, limit: 10).isEmpty)

        writer.record(auditSampleEntry(1))
        for _ in 0..<500 where writer.status.written < 1 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(writer.status.written == 1, "the record's own deadline ends the lines' wait")
        #expect(writer.status.eventsHeld == 0)
        #expect(try await store.events(after: 0, limit: 10) == lines)
        writer.finish()
        await runner.value
    }

    /// A busy clinic's second of lines is not one long transaction that a command's record would wait behind:
    /// 128 lines are committed without waiting for the delay.
    @Test func aHundredAndTwentyEightJournalLinesAreCommittedWithoutWaiting() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 1_000, maximumBatch: 512, commitDelay: .seconds(600), journalDelay: .seconds(600),
            retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        let lines = (1...128).map { EncodedEvent("vital", topic: .vitals, sequence: UInt64($0), data: Array("{}".utf8)) }
        for line in lines.dropLast() { writer.journal(line) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(writer.status.eventsHeld == 127, "fewer wait for company")
        writer.journal(lines[127])
        for _ in 0..<500 where writer.status.eventsHeld > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(writer.status.eventsHeld == 0)
        #expect(try await store.events(after: 0, limit: 200) == lines)
        writer.finish()
        await runner.value
    }

    @Test func journalLinesAloneAreCommittedAfterTheJournalDelay() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(
            store: store, capacity: 64, maximumBatch: 64, commitDelay: .seconds(600), journalDelay: .milliseconds(20),
            retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        writer.journal(EncodedEvent("vital", topic: .vitals, sequence: 1, data: Array("{}".utf8)))
        for _ in 0..<500 where writer.status.eventsHeld > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(writer.status.eventsHeld == 0)
        #expect(try await store.events(after: 0, limit: 10).count == 1)
        writer.finish()
        await runner.value
    }

    /// Needs root: the database lives on a 256 KiB tmpfs that a filler file then fills.
    @Test func diskFullHoldsRecordsAndWritesThemOnceSpaceReturns() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        try #require(try runAuditCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", scratch.path]) == 0)
        defer { _ = try? runAuditCommand("/bin/umount", [scratch.path]) }

        let store = try AuditStore(path: scratch.databasePath)
        defer { try? store.close() }
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 4, retryInterval: .milliseconds(20))
        let runner = Task { await writer.run() }
        _ = try await writer.recordDurably(auditSampleEntry(1))

        let filler = scratch.path + "/filler"
        fillFileSystem(at: filler)
        for index in 2...6 {
            #expect(writer.record(auditSampleEntry(index, payloadBytes: 8_000)))
        }
        do {
            _ = try await writer.recordDurably(auditSampleEntry(7, payloadBytes: 8_000))
            Issue.record("a write on a full disk reported itself durable")
        } catch let error as AuditWriterError {
            #expect(error == .notDurable(reason: "disk full (SQLITE_FULL)"))
        }
        let degraded = writer.status
        #expect(degraded.health == .degraded(reason: "disk full (SQLITE_FULL)"))
        #expect(degraded.held == 6)
        #expect(degraded.dropped == 0)

        try FileManager.default.removeItem(atPath: filler)
        // FIFO: once this one is durable, every held record before it was written too.
        let last = try await writer.recordDurably(auditSampleEntry(8))
        #expect(last.sequence == 8)
        #expect(writer.status == AuditWriterStatus(
            health: .healthy, held: 0, dropped: 0, written: 8, lastSequence: 8, lastHash: last.hash))
        #expect(try store.records(chairID: "chair-1").map(\.entry.payload) == (1...8).map {
            auditSampleEntry($0, payloadBytes: (2...7).contains($0) ? 8_000 : 0).payload
        })
        #expect(try await store.verify() == nil)

        writer.finish()
        await runner.value
    }

    /// Writes zeros until the file system refuses more.
    private func fillFileSystem(at path: String) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        let chunk = Data(count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
    }
}
