import Foundation

/// A test client on infusiond's socket speaking raw lines, with a receive timeout so a missing reply
/// fails the test instead of hanging it.
///
/// Every line it receives from infusiond is validated against docs/protocol-v2.schema.json (`WireSchema`)
/// when the client closes (or is released): an invalid line is a recorded issue of the test that used the
/// client. A simulator's control socket (`*.control`, docs/SIMULATORS.md) speaks its own lines and is not checked.
final class LineClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let path: String
    /// Lines received and not yet validated.
    private var received: [String] = []
    private var isClosed = false

    init(path: String, receiveTimeout: Double = 5) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(errno)") }
        let result = withUnixAddress(path) { connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure("connect \(path): \(String(cString: strerror(code)))")
        }
        var timeout = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout.truncatingRemainder(dividingBy: 1)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Changes how long a read waits for a line before it throws.
    func setReceiveTimeout(_ seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds.truncatingRemainder(dividingBy: 1)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends raw bytes (a line should end with "\n").
    func send(_ text: String) throws {
        try sendBytes(Array(text.utf8))
    }

    func sendBytes(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure("send failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// The next line, or nil at end of stream; throws on timeout.
    func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                received.append(line)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return nil }
                throw Failure("no line within the receive timeout (errno \(errno))")
            }
            buffer += chunk[..<n]
        }
    }

    /// Every byte until the daemon ends the connection, read `chunkBytes` at a time with a pause between reads (a
    /// slow reader); whole lines among them are validated like any other. Throws if the stream does not end.
    func readToEnd(chunkBytes: Int, pauseMicroseconds: UInt32) throws -> [UInt8] {
        var bytes = buffer
        buffer = []
        while true {
            var chunk = [UInt8](repeating: 0, count: chunkBytes)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno == ECONNRESET) { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("the connection did not end within the receive timeout (errno \(errno))")
            }
            bytes += chunk[..<n]
            usleep(pauseMicroseconds)
        }
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            received.append(String(decoding: rest[..<newline], as: UTF8.self))
            rest = rest[rest.index(after: newline)...]
        }
        return bytes
    }

    /// The next line parsed as a JSON object.
    func readJSON() throws -> [String: Any] {
        guard let line = try readLine() else { throw Failure("connection closed while a line was expected") }
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure("not a JSON object: \(line)")
        }
        return object
    }

    /// Sends a request line and returns the next reply, skipping events.
    func request(_ line: String) throws -> [String: Any] {
        try send(line + "\n")
        while true {
            let message = try readJSON()
            if message["reply"] != nil { return message }
        }
    }

    /// Reads and checks the hello event.
    @discardableResult
    func readHello() throws -> [String: Any] {
        let hello = try readJSON()
        guard hello["event"] as? String == "hello" else { throw Failure("expected hello, got \(hello)") }
        return hello["data"] as? [String: Any] ?? [:]
    }

    /// Half-closes the sending side, as `socat` does at the end of its input.
    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
        validateReceived()
    }

    /// Validates the lines received so far against the wire schema (done by `close()` and on release).
    private func validateReceived() {
        // Whole lines that arrived but were never read count too: the daemon sent them.
        var lines = received
        var pending = buffer[...]
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending = pending[pending.index(after: newline)...]
        }
        received = []
        guard !path.hasSuffix(".control") else { return }
        WireSchema.check(lines, from: "LineClient on \(path)")
    }

    /// Released without `close()`: the lines are validated; the descriptor stays open as it always has
    /// (a released client must not change what the daemon sees).
    deinit { if !isClosed { validateReceived() } }
}

extension Dictionary where Key == String, Value == Any {
    /// The `error.code` of a reply, if any.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var ok: Bool { self["ok"] as? Bool ?? false }
    var result: [String: Any] { self["result"] as? [String: Any] ?? [:] }
}
