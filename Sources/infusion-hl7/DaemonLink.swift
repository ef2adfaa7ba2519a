import Glibc
import HL7Bridge
import Logging

/// One connection to infusiond's socket as a viewer: reads its hello, asks to `watch` the bridge's topics
/// `since` a cursor, then hands over every line it reads, parsed. Owns its fd.
final class DaemonLink {
    static let topics = ["session", "alarms", "pump", "vitals", "devices"]

    enum Phase {
        case awaitingHello
        case awaitingWatchReply
        case watching
    }

    let fd: Int32
    private(set) var phase = Phase.awaitingHello
    private let since: UInt64
    private var pending: [UInt8] = []

    /// Connects to `path`; the watch request goes out once the hello has arrived.
    init(path: String, since: UInt64) throws(SocketError) {
        fd = try Sockets.connectUnix(path)
        self.since = since
    }

    deinit { close(fd) }

    /// What reading found.
    enum Reading {
        case lines([DaemonLine])
        case closed
    }

    /// Reads what is waiting and returns the complete lines, parsed. Lines that are not the daemon's JSON are
    /// logged and dropped; the watch request is sent after the hello.
    func read(log: Logger) throws(SocketError) -> Reading {
        guard let bytes = Sockets.readAvailable(fd) else { return .closed }
        pending += bytes
        var lines: [DaemonLine] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let text = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            guard !text.isEmpty else { continue }
            let line: DaemonLine
            do {
                line = try DaemonLine.parse(text)
            } catch {
                log.error("infusiond sent a line the bridge cannot read", metadata: ["line": "\(text.prefix(300))", "error": "\(error)"])
                continue
            }
            if case .hello(let version) = line, phase == .awaitingHello {
                guard version >= 2 else { throw SocketError(message: "infusiond speaks protocol \(version); the bridge needs 2 (the event cursor)") }
                let topics = Self.topics.map { "\"\($0)\"" }.joined(separator: ",")
                try Sockets.writeAll(fd, Array("{\"cmd\":\"watch\",\"topics\":[\(topics)],\"since\":\(since)}\n".utf8), timeoutSeconds: 5)
                phase = .awaitingWatchReply
            } else if case .reply(let command, let ok, _, let error) = line, command == "watch", phase == .awaitingWatchReply {
                guard ok else { throw SocketError(message: "infusiond refused the watch: \(error ?? "?")") }
                phase = .watching
            }
            lines.append(line)
        }
        return .lines(lines)
    }
}
