#if canImport(Glibc)
import Glibc
#endif
import WireProtocol

/// A blocking connection to infusiond's socket: a thin client needs no event loop.
struct DaemonConnection {
    /// Why talking to the daemon failed, mapped to distinct exit codes.
    enum Failure: Error, CustomStringConvertible {
        /// No daemon answers at the path (missing, refused, not a socket).
        case unreachable(String)
        /// The socket's permissions refuse this user.
        case permissionDenied(String)
        /// The daemon closed the connection or sent something unreadable.
        case protocolError(String)

        var description: String {
            switch self {
            case .unreachable(let detail), .permissionDenied(let detail), .protocolError(let detail): detail
            }
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The hello the daemon sent on connect.
    private(set) var hello: HelloInfo?

    /// Connects to `path` and reads the daemon's hello. With `receiveTimeoutSeconds`, a read that waits
    /// longer fails instead of blocking (the dashboard must never freeze on one reply).
    init(path: String, receiveTimeoutSeconds: Int? = nil) throws(Failure) {
        fd = try Self.connect(path: path)
        if let receiveTimeoutSeconds {
            var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        if case .event(ConnectionEvent.hello, _, _, let data)? = try nextMessage() {
            hello = try? LineCoding.convert(data, to: HelloInfo.self)
        }
    }

    /// A connected stream socket to infusiond at `path`; the caller owns (and closes) the descriptor.
    static func connect(path: String) throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .unreachable("cannot create a socket: \(String(cString: strerror(errno)))") }
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
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            let reason = "cannot connect to infusiond at \(path): \(String(cString: strerror(code)))"
            throw code == EACCES || code == EPERM ? .permissionDenied(reason) : .unreachable(reason)
        }
        return fd
    }

    /// Sends one request line.
    func send(_ request: Request) throws(Failure) {
        let line: [UInt8]
        do { line = try LineCoding.encodeLine(request) } catch {
            throw .protocolError("cannot encode request: \(error)")
        }
        var offset = 0
        while offset < line.count {
            let written = line[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else {
                if written < 0, errno == EINTR { continue }
                throw .protocolError("connection lost while sending: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// The next raw line from the daemon (without newline), or nil when it closed the connection.
    mutating func nextLine() throws(Failure) -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw .protocolError("connection lost: \(String(cString: strerror(errno)))") }
            if count == 0 { return nil }
            buffer += chunk[..<count]
        }
    }

    /// The next message from the daemon, or nil when it closed the connection.
    mutating func nextMessage() throws(Failure) -> IncomingMessage? {
        guard let line = try nextLine() else { return nil }
        do { return try IncomingMessage.parse(line: line) } catch {
            throw .protocolError("unreadable message from infusiond: \(String(decoding: line, as: UTF8.self))")
        }
    }

    /// Sends `request` and returns the raw reply line and its parsed form, skipping interleaved events.
    mutating func call(_ request: Request) throws(Failure) -> (line: [UInt8], message: IncomingMessage) {
        try send(request)
        while let line = try nextLine() {
            guard let message = try? IncomingMessage.parse(line: line) else {
                throw .protocolError("unreadable message from infusiond: \(String(decoding: line, as: UTF8.self))")
            }
            if case .reply = message { return (line, message) }
        }
        throw .protocolError("infusiond closed the connection before replying")
    }

    func closeConnection() {
        close(fd)
    }
}
