import Foundation
import Glibc
import InfusionDaemon
import Synchronization

/// Many watching clients read by one thread (SCHED_FIFO when permitted), which stamps each read
/// when poll returns. It notes when each watcher received each `notice` (by its text) and counts
/// every line, so the pool can both time a fan-out and stand in for a room full of dashboards.
///
/// Threading: the reader thread owns the descriptors' reads from `start` until `stop`.
final class WatcherPool: @unchecked Sendable {
    private let sockets: [LineSocket]
    private let condition = NSCondition()
    private var arrivals: [String: [Int64]] = [:]
    private let lines = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    /// Connects `count` clients to `socketPath`, each watching `topics`.
    init(count: Int, socketPath: String, topics: [String]) throws {
        let list = topics.map { "\"\($0)\"" }.joined(separator: ",")
        sockets = try (0..<count).map { _ in
            let socket = try LineSocket(path: socketPath)
            let reply = try socket.request("{\"cmd\":\"watch\",\"topics\":[\(list)]}")
            guard reply.isOK else { throw BenchError("watch refused: \(reply)") }
            return socket
        }
    }

    var count: Int { sockets.count }
    /// Lines received so far by all watchers together.
    var lineCount: Int { lines.load(ordering: .relaxed) }

    func start(priority: Int32?) {
        running.store(true, ordering: .releasing)
        RealtimeThread.start(name: "bench-watchers", priority: priority, lockMemory: false) { _ in self.read() }
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
        while running.load(ordering: .acquiring) { usleep(1000) }
    }

    /// When each watcher received the notice `text`, once all have (nil after `timeout` s).
    func arrivals(of text: String, timeout: Double) -> [Int64]? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while (arrivals[text]?.count ?? 0) < sockets.count {
            guard condition.wait(until: deadline) else { return nil }
        }
        return arrivals.removeValue(forKey: text)
    }

    private func read() {
        var lines = PolledLines(sockets.map(\.descriptor))
        while !stopRequested.load(ordering: .acquiring) {
            guard lines.wait(milliseconds: 50) else { continue }
            let stamp = BenchClock.now()
            lines.readReady { noteLine($0, at: stamp) }
        }
        running.store(false, ordering: .releasing)
    }

    private static let noticePrefix = Array(#""event":"notice""#.utf8)
    private static let textKey = Array(#""text":""#.utf8)

    private func noteLine(_ line: ArraySlice<UInt8>, at stamp: Int64) {
        lines.wrappingAdd(1, ordering: .relaxed)
        guard line.starts(with: [0x7B] + Self.noticePrefix), let start = line.firstRange(of: Self.textKey)?.upperBound,
            let end = line[start...].firstIndex(of: 0x22)
        else { return }
        let text = String(decoding: line[start..<end], as: UTF8.self)
        condition.lock()
        arrivals[text, default: []].append(stamp)
        condition.broadcast()
        condition.unlock()
    }
}
