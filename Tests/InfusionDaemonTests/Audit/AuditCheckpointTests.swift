import Foundation
@testable import InfusionDaemon
import Testing
import WireProtocol

/// The write-ahead log is copied back by the audit writer between commits, not by SQLite inside one
/// (`AuditStore+Checkpoint.swift`), so a command's reply never waits for that copy.
struct AuditCheckpointTests {
    /// One SQLite page in the log: the page and its 24-byte frame header (default 4 KiB pages).
    private static let frameBytes = 4096 + 24

    private func logFrames(_ scratch: AuditScratchDirectory) throws -> Int {
        let size = try FileManager.default.attributesOfItem(atPath: scratch.databasePath + "-wal")[.size] as? Int ?? 0
        return size / Self.frameBytes
    }

    /// A journal line of about `bytes` (journal lines fill pages without the chain's hashing, which is slow in a
    /// debug build and would crowd the tests running beside this one).
    private func bulkyEvent(_ sequence: UInt64, bytes: Int) -> EncodedEvent {
        EncodedEvent("notice", topic: .notices, sequence: sequence, data: Array(#""\#(String(repeating: "x", count: bytes))""#.utf8))
    }

    @Test func commitsNoLongerCopyTheLogBackThemselves() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        // About 125 pages a commit: 1,500 pages in all, well past SQLite's automatic threshold.
        for sequence in 1...12 {
            _ = try await store.append([auditSampleEntry(Int(sequence))], events: [bulkyEvent(UInt64(sequence), bytes: 500_000)])
        }
        let grown = try logFrames(scratch)
        #expect(grown > AuditStore.defaultCheckpointPages * 3 / 2, "with SQLite's automatic checkpoint the log would stop near 1,000 pages")

        store.checkpointIfDue()
        for sequence in 13...14 {
            _ = try await store.append([auditSampleEntry(Int(sequence))], events: [bulkyEvent(UInt64(sequence), bytes: 500_000)])
        }
        #expect(try logFrames(scratch) == grown, "after the copy the log is written again from its start")
        #expect(try await store.verify() == nil)
        #expect(try store.lastRecord()?.sequence == 14)
        try store.close()
    }

    @Test func theWriterKeepsTheLogNearTheThreshold() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath, checkpointPages: 100)
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 8, retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        for sequence in 1...40 {
            writer.journal(bulkyEvent(UInt64(sequence), bytes: 40_000))
            _ = try await writer.recordDurably(auditSampleEntry(sequence))
        }
        writer.finish()
        await runner.value
        // 400 pages were logged; each copy lets the next commit start the log again, so it never holds much more
        // than the threshold and one commit.
        let frames = try logFrames(scratch)
        #expect(frames >= 100)
        #expect(frames < 130)
        #expect(try await store.verify() == nil)
        #expect(try store.lastRecord()?.sequence == 40)
        try store.close()
    }
}
