#if canImport(Glibc)
import Glibc
#endif
import WireProtocol

/// The dashboard's watching connection: like `DaemonConnection`, but exposes its descriptor so the
/// shell can wait on the socket and the keyboard at once, and reads only what is already there.
final class TopLink {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `path`; throws a readable reason on failure.
    init(path: String) throws(DaemonConnection.Failure) {
        fd = try DaemonConnection.connect(path: path)
    }

    deinit { close(fd) }

    /// Sends one request line (small requests fit the socket buffer at once).
    func send(_ request: Request) {
        guard let line = try? LineCoding.encodeLine(request) else { return }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Waits at most `milliseconds` for data and returns the complete messages read; nil once the
    /// daemon closed the connection.
    func receive(waitingAtMost milliseconds: Int32) -> [IncomingMessage]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready > 0 {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) { return nil }
            if count > 0 { buffer += chunk[..<count] }
        }
        var messages: [IncomingMessage] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            if let message = try? IncomingMessage.parse(line: buffer[..<newline]) { messages.append(message) }
            buffer.removeSubrange(...newline)
        }
        return messages
    }

    /// Asks for everything the dashboard shows: status, devices, and every topic's events.
    func subscribe() {
        send(Request(command: "status"))
        send(Request(command: "devices"))
        send(Request(command: "watch", fields: ["topics": .array(Topic.allCases.map { .string($0.rawValue) })]))
    }
}

/// Milliseconds of the monotonic clock, for deadlines and the flash phase (never shown).
func monotonicMilliseconds() -> Int64 {
    monotonicNanoseconds() / 1_000_000
}

/// Nanoseconds of this process's monotonic clock.
func monotonicNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}
