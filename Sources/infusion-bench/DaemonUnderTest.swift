import Foundation
import Glibc

/// A real release `infusiond` process on a scratch socket, told to notify a datagram socket the
/// benchmark owns (`NOTIFY_SOCKET`), as systemd would for `Type=notify`.
final class DaemonUnderTest {
    let process = Process()
    let socketPath: String
    /// CLOCK_MONOTONIC just before the spawn.
    let spawnedAt: Int64

    /// Spawns `executable --config CONFIG --socket SOCKET`; stderr goes to `logPath`.
    init(executable: String, configPath: String, socketPath: String, notifySocket: String, logPath: String) throws {
        self.socketPath = socketPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--config", configPath, "--socket", socketPath]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notifySocket
        process.environment = environment
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        spawnedAt = BenchClock.now()
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGTERM, then waits for the exit (SIGKILL after 10 s).
    func stop() { process.stopGracefully() }
}

/// The service manager's side of sd_notify: a datagram socket at `path` that reports when READY=1 came.
final class NotifyListener {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("notify socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw BenchError("bind \(path): errno \(errno)") }
        var limit = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        Glibc.close(descriptor)
        unlink(path)
    }

    /// Waits for a datagram containing READY=1 and returns when it arrived; nil after `timeout` s
    /// or when `stillRunning` turns false.
    func waitForReady(timeout: Double, stillRunning: () -> Bool) -> Int64? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            let stamp = BenchClock.now()
            if count > 0 {
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                if message.split(separator: "\n").contains("READY=1") { return stamp }
            } else if !stillRunning() {
                return nil
            }
        }
        return nil
    }
}

/// CPU time and memory of a process, from procfs.
enum ProcessUsage {
    /// user + system CPU seconds (fields 14 and 15 of /proc/PID/stat, in clock ticks).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `Vm…` line of /proc/PID/status in MiB (VmRSS: resident now, VmHWM: peak resident).
    static func memoryMiB(pid: Int32, field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kilobytes = Double(parts[1]) { return kilobytes / 1024 }
        }
        return nil
    }
}
