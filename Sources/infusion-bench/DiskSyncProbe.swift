import CShims
import Foundation
import Glibc

/// The disk's own part of a durable reply: 4 KiB written and `fdatasync`ed in the directory the audit store
/// uses, one sample every 10 ms. A reply that waits for its audit record's commit cannot be faster than one
/// such sync (SQLite's WAL commit with `synchronous = FULL` syncs once), so the goal of the reply is read
/// against this floor.
enum DiskSyncProbe {
    /// Sync latencies in microseconds.
    static func measure(directory: String, samples: Int) throws -> [Double] {
        let path = directory + "/disk-sync-probe"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
        defer {
            close(descriptor)
            unlink(path)
        }
        var page = [UInt8](repeating: 0, count: 4096)
        var latencies: [Double] = []
        for index in 0..<samples {
            page[index % page.count] &+= 1
            let written = page.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(index % 64) * 4096) }
            guard written == page.count else { throw BenchError("write to \(path) failed: errno \(errno)") }
            let start = BenchClock.now()
            guard fdatasync(descriptor) == 0 else { throw BenchError("fdatasync of \(path) failed: errno \(errno)") }
            latencies.append(BenchClock.microseconds(from: start, to: BenchClock.now()))
            usleep(10_000)
        }
        return latencies
    }
}
