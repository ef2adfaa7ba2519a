import Glibc
import HL7Bridge

/// One TCP connection to the interface engine, carrying MLLP frames. Owns its fd.
final class EngineLink {
    let fd: Int32
    private var decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    func send(_ message: String, timeoutSeconds: Double) throws(SocketError) {
        try Sockets.writeAll(fd, MLLP.frame(message), timeoutSeconds: timeoutSeconds)
    }

    /// The frames that arrived, or nil when the engine closed the connection.
    func read() -> [MLLPDecoder.Item]? {
        guard let bytes = Sockets.readAvailable(fd) else { return nil }
        return decoder.feed(bytes)
    }
}

/// Where the engine listens, as `--send HOST:PORT` gives it (`[v6]:port` for an IPv6 literal).
struct EngineAddress: CustomStringConvertible {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
