import Foundation
@testable import InfusionDaemon
import Testing

/// Issue 21: a full disk must not cost records, running or stopping. Real SQLite on a real 1 MB tmpfs (we run as
/// root here), filled as a growing log file would fill it.
@Suite(.serialized) struct AuditReserveTests {
    private func withTmpfs(_ size: String, _ body: (AuditScratchDirectory) async throws -> Void) async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        try #require(try runAuditCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", scratch.path]) == 0)
        defer { _ = try? runAuditCommand("/bin/umount", [scratch.path]) }
        try await body(scratch)
    }

    private func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }

    /// Writes zeros until the file system refuses more.
    private func fill(_ path: String) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { return }
        defer { try? handle.close() }
        let chunk = Data(count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
    }

    @Test func aReserveIsAllocatedReleasedInTwoStepsAndSetAsideAgain() async throws {
        try await withTmpfs("1m") { scratch in
            let reserve = AuditReserve(path: scratch.path + "/audit.reserve", bytes: 256 * 1024)
            #expect(reserve.allocate())
            #expect(reserve.stage == .whole && fileSize(reserve.path) == 256 * 1024)
            #expect(reserve.releaseFirstHalf())
            #expect(reserve.stage == .halfReleased && fileSize(reserve.path) == 128 * 1024)
            #expect(!reserve.releaseFirstHalf(), "the first half goes once")

            fill(scratch.path + "/filler")
            #expect(!reserve.allocate(), "no room for the whole reserve")
            #expect(reserve.stage == .halfReleased && fileSize(reserve.path) == 128 * 1024, "a failed attempt keeps the half")
            try FileManager.default.removeItem(atPath: scratch.path + "/filler")
            #expect(reserve.allocate(), "space came back")
            #expect(reserve.stage == .whole && fileSize(reserve.path) == 256 * 1024)

            #expect(reserve.releaseAll())
            #expect(reserve.stage == .released && fileSize(reserve.path) == nil)
            #expect(!reserve.releaseAll())
        }
    }

    @Test func aReserveThatDoesNotFitIsNotTakenAtAll() async throws {
        try await withTmpfs("1m") { scratch in
            let reserve = AuditReserve(path: scratch.path + "/audit.reserve", bytes: 4 << 20)
            #expect(!reserve.allocate())
            #expect(reserve.stage == .released)
            #expect(fileSize(reserve.path) == nil, "a reserve larger than the disk leaves nothing behind")
        }
    }

    /// The disk fills: the first half of the reserve keeps writes durable (no `not-durable`); it fills again: records
    /// are held; the writer finishes (a stop): the second half takes every held record, nothing is dropped.
    @Test func aFullDiskRunsOnTheReserveAndAStopWritesEveryHeldRecord() async throws {
        try await withTmpfs("2m") { scratch in
            let store = try AuditStore(path: scratch.databasePath)
            defer { try? store.close() }
            let reserve = AuditReserve(path: scratch.path + "/audit.reserve", bytes: 512 * 1024)
            try #require(reserve.allocate())
            let writer = AuditWriter(store: store, capacity: 256, maximumBatch: 4, retryInterval: .milliseconds(20), reserve: reserve)
            let runner = Task { await writer.run() }
            _ = try await writer.recordDurably(auditSampleEntry(1))

            fill(scratch.path + "/filler-1")
            let onReserve = try await writer.recordDurably(auditSampleEntry(2, payloadBytes: 8_000))
            #expect(onReserve.sequence == 2, "durable although the disk was full")
            #expect(reserve.stage == .halfReleased)
            #expect(writer.status.health == .degraded(reason: AuditWriter.reserveInUse))

            fill(scratch.path + "/filler-2")
            var index = 3
            var heldOnce = false
            // Records until the first half is spent and commits fail again.
            while !heldOnce && index < 200 {
                do {
                    _ = try await writer.recordDurably(auditSampleEntry(index, payloadBytes: 8_000))
                } catch let error as AuditWriterError {
                    #expect(error == .notDurable(reason: "disk full (SQLITE_FULL)"))
                    heldOnce = true
                }
                index += 1
            }
            try #require(heldOnce, "the reserve's first half never ran out")
            for extra in index..<(index + 5) { #expect(writer.record(auditSampleEntry(extra, payloadBytes: 2_000))) }
            let last = index + 4
            #expect(writer.status.held == 6)

            writer.finish()
            await runner.value
            let closed = writer.status
            #expect(closed.dropped == 0 && closed.held == 0, "\(closed)")
            #expect(closed.written == last)
            #expect(reserve.stage == .released && fileSize(reserve.path) == nil)
            #expect(try store.records(chairID: "chair-1", limit: 1_000).count == last)
            #expect(try await store.verify() == nil)
        }
    }

    /// Once space returns, the writer sets the whole reserve aside again and the store is healthy.
    @Test func theReserveComesBackWhenSpaceDoes() async throws {
        try await withTmpfs("2m") { scratch in
            let store = try AuditStore(path: scratch.databasePath)
            defer { try? store.close() }
            let reserve = AuditReserve(path: scratch.path + "/audit.reserve", bytes: 512 * 1024)
            try #require(reserve.allocate())
            let writer = AuditWriter(store: store, capacity: 256, maximumBatch: 4, retryInterval: .milliseconds(20), reserve: reserve)
            let runner = Task { await writer.run() }
            fill(scratch.path + "/filler")
            _ = try await writer.recordDurably(auditSampleEntry(1, payloadBytes: 8_000))
            #expect(reserve.stage == .halfReleased)
            try FileManager.default.removeItem(atPath: scratch.path + "/filler")
            var index = 2
            while reserve.stage != .whole && index < 2_000 {
                _ = try await writer.recordDurably(auditSampleEntry(index))
                try await Task.sleep(for: .milliseconds(5))
                index += 1
            }
            #expect(reserve.stage == .whole && fileSize(reserve.path) == 512 * 1024)
            #expect(writer.status.health == .healthy)
            writer.finish()
            await runner.value
        }
    }
}
