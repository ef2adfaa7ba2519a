import Glibc
import HL7Bridge

/// One TCP connection to the interface engine, carrying MLLP frames, in TLS when the bridge has a TLS identity.
/// Owns its fd.
final class EngineLink {
    let fd: Int32
    private let tls: TLSSession?
    private var decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)

    /// Takes over `fd`; with `identity`, starts the TLS handshake as the client.
    init(fd: Int32, identity: TLSIdentity?) throws {
        self.fd = fd
        do {
            tls = try identity.map { try TLSSession(fd: fd, identity: $0, isServer: false) }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        // A TLS session owns the fd and closes it.
        if tls == nil { close(fd) }
    }

    func send(_ message: String, timeoutSeconds: Double) throws {
        if let tls {
            try tls.send(MLLP.frame(message), timeoutSeconds: timeoutSeconds)
        } else {
            try Sockets.writeAll(fd, MLLP.frame(message), timeoutSeconds: timeoutSeconds)
        }
    }

    /// The frames that arrived, or nil when the engine closed the connection.
    /// - Throws: a TLS failure (the engine's certificate is not on the allow-list, a broken record).
    func read() throws -> [MLLPDecoder.Item]? {
        let bytes = try tls.map { try $0.read() } ?? Sockets.readAvailable(fd)
        guard let bytes else { return nil }
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
