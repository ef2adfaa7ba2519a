import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The runner's connections to one infusiond: a watcher on every topic that fills the event log,
/// a private connection for `status`, and the scenario's named connections (operators).
///
/// After the daemon is killed and restarted, `reconnect()` opens fresh connections; named ones are
/// reopened on their next use. The event log survives restarts.
final class DaemonSession {
    /// Every event line received, parsed, in arrival order.
    private(set) var events: [[String: Any]] = []
    /// The raw text of each event, for reports.
    private(set) var eventLines: [String] = []
    private let socketPath: String
    private var watcher: SocketLineConnection?
    private var control: SocketLineConnection?
    private var named: [String: SocketLineConnection] = [:]
    /// Connections with a request sent by `sendAsync` whose reply has not been read yet.
    private(set) var pendingReplies: [(connection: String, request: String)] = []

    static let allTopics = #"{"cmd":"watch","topics":["devices","vitals","pump","alarms","session","notices"]}"#

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Continues `previous`'s event log, so expectations may span a daemon restart.
    func inherit(from previous: DaemonSession) {
        events = previous.events
        eventLines = previous.eventLines
    }

    /// (Re)opens the watcher and the status connection; named connections reopen on use.
    func reconnect() throws(RunnerFailure) {
        named.values.forEach { $0.close() }
        named = [:]
        pendingReplies = []
        let watching = try open()
        try watching.send(Self.allTopics)
        while true {
            guard let line = watching.readLine(timeout: 10) else { throw RunnerFailure("infusiond did not answer 'watch'") }
            if line.hasPrefix(#"{"reply""#) { break }
        }
        watcher = watching
        control = try open()
    }

    /// Closes every connection (the daemon is about to go away).
    func disconnect() {
        drain(for: 0)
        watcher?.close()
        control?.close()
        named.values.forEach { $0.close() }
        watcher = nil
        control = nil
        named = [:]
        pendingReplies = []
    }

    /// Reads events into the log for `seconds` (at least one non-blocking pass).
    func drain(for seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            guard let watcher, let line = watcher.readLine(timeout: max(0, deadline.timeIntervalSinceNow)) else { return }
            record(line)
        } while Date() < deadline
    }

    /// Sends `request` on connection `name` and returns the parsed reply (events on it are skipped).
    func request(_ request: String, on name: String, timeout: Double = 15) throws(RunnerFailure) -> [String: Any] {
        let connection = try namedConnection(name)
        try connection.send(request)
        return try reply(on: connection, name: name, timeout: timeout)
    }

    /// Sends `request` on `name` without reading the reply.
    func sendAsync(_ request: String, on name: String) throws(RunnerFailure) {
        try namedConnection(name).send(request)
        pendingReplies.append((name, request))
    }

    /// Reads the reply to every `sendAsync` request, in the order they were sent.
    func collectPendingReplies(timeout: Double = 15) throws(RunnerFailure) -> [[String: Any]] {
        defer { pendingReplies = [] }
        var replies: [[String: Any]] = []
        for pending in pendingReplies {
            replies.append(try reply(on: try namedConnection(pending.connection), name: pending.connection, timeout: timeout))
        }
        return replies
    }

    /// `status` on the runner's own connection.
    func status() throws(RunnerFailure) -> [String: Any] {
        guard let control else { throw RunnerFailure("infusiond is not running") }
        try control.send(#"{"cmd":"status"}"#)
        return try reply(on: control, name: "runner", timeout: 15)
    }

    /// The names of the scenario's connections opened so far.
    var connectionNames: [String] { named.keys.sorted() }

    private func namedConnection(_ name: String) throws(RunnerFailure) -> SocketLineConnection {
        if let existing = named[name], existing.isOpen { return existing }
        let connection = try open()
        named[name] = connection
        return connection
    }

    /// With `INFUSION_SIM_WIRE_LOG=FILE`, every line received from infusiond is appended to FILE as it
    /// came (the integration tests validate them against docs/protocol-v2.schema.json).
    private static let wireLog: Int32 = {
        guard let path = ProcessInfo.processInfo.environment["INFUSION_SIM_WIRE_LOG"], !path.isEmpty else { return -1 }
        return Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    }()

    private func open() throws(RunnerFailure) -> SocketLineConnection {
        let connection = try SocketLineConnection(path: socketPath)
        connection.wireLog = Self.wireLog
        guard let hello = connection.readLine(timeout: 10), hello.contains(#""event":"hello""#) else {
            throw RunnerFailure("infusiond sent no hello on a new connection")
        }
        return connection
    }

    private func reply(on connection: SocketLineConnection, name: String, timeout: Double) throws(RunnerFailure)
        -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // Keep the event log current while waiting, so event deadlines stay honest.
            drain(for: 0)
            guard let line = connection.readLine(timeout: min(0.1, max(0, deadline.timeIntervalSinceNow))) else {
                guard connection.isOpen else { throw RunnerFailure("infusiond closed connection '\(name)'") }
                guard Date() < deadline else { throw RunnerFailure("no reply on connection '\(name)' within \(timeout) s") }
                continue
            }
            guard let object = Self.parse(line) else { throw RunnerFailure("not a JSON object from infusiond: \(line)") }
            if object["reply"] != nil { return object }
        }
    }

    private func record(_ line: String) {
        guard let object = Self.parse(line), object["event"] != nil else { return }
        events.append(object)
        eventLines.append(line)
    }

    static func parse(_ line: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }
}
