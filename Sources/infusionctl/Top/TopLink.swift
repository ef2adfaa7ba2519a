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
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .unreachable("cannot create a socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw .unreachable("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .unreachable("cannot connect to infusiond at \(path): \(reason)")
        }
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
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
