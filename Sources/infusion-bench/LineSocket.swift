import Foundation
import Glibc

/// A blocking client of the daemon's Unix socket that speaks JSON lines, for the measuring thread.
final class LineSocket {
    let descriptor: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`; replies wait at most `timeout` seconds.
    init(path: String, timeout: Double = 10) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw BenchError("connect \(path): errno \(error)")
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int(timeout.truncatingRemainder(dividingBy: 1) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(descriptor) }

    /// Writes one line; returns the instant just before the write.
    @discardableResult
    func send(_ line: String) throws -> Int64 {
        let bytes = Array((line + "\n").utf8)
        let stamp = BenchClock.now()
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw BenchError("write to the daemon failed: errno \(errno)") }
        return stamp
    }

    /// The next line from the daemon, as JSON.
    func readJSON() throws -> [String: Any] {
        let line = try readLine()
        guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw BenchError("not a JSON object: \(String(decoding: line, as: UTF8.self))")
        }
        return object
    }

    /// Sends `line` and returns the reply to it, skipping events.
    func request(_ line: String) throws -> [String: Any] {
        try timedRequest(line).reply
    }

    /// Sends `line` and returns the instant just before the write, the reply (events skipped) and
    /// the instant its line was read.
    func timedRequest(_ line: String) throws -> (sent: Int64, reply: [String: Any], received: Int64) {
        let sent = try send(line)
        while true {
            let message = try readJSON()
            if message["reply"] != nil { return (sent, message, BenchClock.now()) }
        }
    }

    private func readLine() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BenchError("the daemon closed the connection or did not answer (errno \(errno))") }
            pending += chunk[0..<count]
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A reply's `ok`.
    var isOK: Bool { self["ok"] as? Bool == true }
    /// A failed reply's error code.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    /// A successful reply's `result`.
    var result: [String: Any] { self["result"] as? [String: Any] ?? [:] }
}
