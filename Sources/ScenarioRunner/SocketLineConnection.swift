import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client connection to a Unix stream socket that speaks lines: the runner's link to infusiond
/// and to the simulators' control sockets.
///
/// Ownership: the connection owns its descriptor and closes it in `close()` or when released.
/// Not thread-safe: the runner uses it from one thread.
final class SocketLineConnection {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to `path`; throws a `RunnerFailure` with the reason when nobody listens there.
    init(path: String) throws(RunnerFailure) {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RunnerFailure("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(descriptor)
            throw RunnerFailure("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            descriptor = -1
            throw RunnerFailure("cannot connect to \(path): \(reason)")
        }
    }

    /// Whether the peer has not closed the connection (as far as is known).
    private(set) var isOpen = true

    /// Where every line received is also appended (a descriptor opened with O_APPEND), or -1: the
    /// daemon's lines for `INFUSION_SIM_WIRE_LOG` (`DaemonSession`), so tests can validate them.
    var wireLog: Int32 = -1

    /// Sends `line` and a newline.
    func send(_ line: String) throws(RunnerFailure) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else {
                isOpen = false
                throw RunnerFailure("send to \(path) failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// The next complete line, waiting at most `timeout` seconds; nil when none arrived in time or
    /// the peer closed the connection.
    func readLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                if wireLog >= 0 { buffer[...newline].withUnsafeBytes { _ = write(wireLog, $0.baseAddress, $0.count) } }
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard isOpen else { return nil }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 || timeout == 0 else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(0, remaining) * 1000))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else {
                isOpen = false
                return nil
            }
            buffer += chunk[..<count]
        }
    }

    /// Closes the descriptor; safe to call more than once.
    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        isOpen = false
    }

    deinit { close() }

    /// Sends one control line to a simulator and returns its one-line answer.
    static func controlRequest(_ line: String, at path: String, timeout: Double = 5) throws(RunnerFailure) -> String {
        let connection = try SocketLineConnection(path: path)
        try connection.send(line)
        guard let answer = connection.readLine(timeout: timeout) else {
            throw RunnerFailure("no answer from the simulator at \(path) to '\(line)'")
        }
        return answer
    }
}

/// Why a scenario step failed, as a person should read it.
public struct RunnerFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
