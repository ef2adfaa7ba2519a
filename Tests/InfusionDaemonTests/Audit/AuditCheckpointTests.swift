import Foundation
@testable import InfusionDaemon
import Testing

/// The write-ahead log is copied back by the audit writer between commits, not by SQLite inside one
/// (`AuditStore+Checkpoint.swift`), so a command's reply never waits for that copy.
struct AuditCheckpointTests {
    /// One SQLite page in the log: the page and its 24-byte frame header (default 4 KiB pages).
    private static let frameBytes = 4096 + 24

    private func logFrames(_ scratch: AuditScratchDirectory) throws -> Int {
        let size = try FileManager.default.attributesOfItem(atPath: scratch.databasePath + "-wal")[.size] as? Int ?? 0
        return size / Self.frameBytes
    }

    @Test func commitsNoLongerCopyTheLogBackThemselves() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        // About twenty pages a record: 1,500 pages in all, well past SQLite's automatic threshold.
        for index in 1...75 {
            _ = try await store.append([auditSampleEntry(index, payloadBytes: 80_000)])
        }
        let grown = try logFrames(scratch)
        #expect(grown > AuditStore.checkpointPages * 3 / 2, "with SQLite's automatic checkpoint the log would stop near 1,000 pages")

        store.checkpointIfDue()
        for index in 76...85 {
            _ = try await store.append([auditSampleEntry(index, payloadBytes: 80_000)])
        }
        #expect(try logFrames(scratch) == grown, "after the copy the log is written again from its start")
        #expect(try await store.verify() == nil)
        #expect(try store.lastRecord()?.sequence == 85)
        try store.close()
    }

    @Test func theWriterKeepsTheLogNearTheThreshold() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 8, retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        for index in 1...150 {
            _ = try await writer.recordDurably(auditSampleEntry(index, payloadBytes: 80_000))
        }
        writer.finish()
        await runner.value
        // 3,000 pages were logged; each copy lets the next commit start the log again, so it never holds much more
        // than the threshold and one commit.
        let frames = try logFrames(scratch)
        #expect(frames >= AuditStore.checkpointPages)
        #expect(frames < AuditStore.checkpointPages + 100)
        #expect(try await store.verify() == nil)
        #expect(try store.lastRecord()?.sequence == 150)
        try store.close()
    }
}
