import Foundation

/// A real `infusion-web` on a free port (loopback unless `listen` says otherwise), following infusiond at
/// `socketPath`.
final class WebStation: @unchecked Sendable {
    let process = Process()
    private let output = Locked(Data())
    /// `http://127.0.0.1:PORT` (or `https://HOST:PORT` as infusion-web printed it).
    private(set) var baseURL = ""
    private(set) var port = 0

    init(socketPath: String, listen: String = "127.0.0.1:0", arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("infusion-web"))
        process.arguments = ["--socket", socketPath, "--listen", listen] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let sink = output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            sink.mutate { $0.append(data) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let match = log.firstMatch(of: /serving (https?:\/\/[^ \/]+:(\d+))\//) {
                baseURL = String(match.1)
                port = Int(match.2) ?? 0
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw Failure("infusion-web did not start serving:\n\(log)")
    }

    var log: String { String(decoding: output.get(), as: UTF8.self) }

    /// A self-signed certificate for `station.test` and its key, made by openssl in `scratch`.
    static func certificate(in scratch: ScratchDirectory) throws -> (certificate: String, key: String) {
        let certificate = scratch.file("station.pem"), key = scratch.file("station.key")
        let made = try Shell.run(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=station.test "
                + "-addext subjectAltName=DNS:station.test -keyout '\(key)' -out '\(certificate)' 2>&1")
        guard made.status == 0 else { throw Failure("openssl: \(made.stdout)") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return (certificate, key)
    }

    /// The base64 SHA-256 of the certificate's public key, as Chromium's `--ignore-certificate-errors-spki-list`
    /// names the one self-signed key it is to trust.
    static func publicKeyHash(of certificate: String) throws -> String {
        let hashed = try Shell.run(
            "openssl x509 -in '\(certificate)' -pubkey -noout | openssl pkey -pubin -outform der "
                + "| openssl dgst -sha256 -binary | base64")
        guard hashed.status == 0 else { throw Failure("openssl: \(hashed.stderr)") }
        return hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A users file naming `rn.lee` with `hash`, sessions of an hour.
    static func usersFile(in scratch: ScratchDirectory, hash: String) throws -> String {
        let path = scratch.file("users.json")
        try #"{"users":[{"name":"rn.lee","passwordHash":"\#(hash)"}],"sessionHours":1}"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// The yescrypt hash of `password`, from `infusion-web --hash-password`.
    static func passwordHash(_ password: String) throws -> String {
        let hashed = try Shell.run("'\(BuiltProducts.path("infusion-web"))' --hash-password", input: password + "\n")
        guard hashed.status == 0 else { throw Failure("--hash-password: \(hashed.stderr)") }
        return hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `curl` of `path` with its headers (`-i`), as a browser's request would be answered.
    func fetch(_ path: String, _ options: String = "") throws -> CommandOutcome {
        try Shell.run("curl -s -i --max-time 10 \(options) '\(baseURL)\(path)'", timeout: 15)
    }

    /// SIGTERM, as systemd stops it; SIGKILL if it has not exited within 5 s.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A browser's event stream, read by `curl -N` as it arrives.
final class EventStreamReader: @unchecked Sendable {
    private let process = Process()
    private let received = Locked(Data())

    init(url: String, lastEventID: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-N", url + "/events"] + (lastEventID.map { ["-H", "Last-Event-ID: \($0)"] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let sink = received
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            sink.mutate { $0.append(data) }
        }
        try process.run()
    }

    var text: String { String(decoding: received.get(), as: UTF8.self) }

    /// The stream's events so far: (id, event, data), heartbeats left out.
    var events: [(id: String?, event: String, data: [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { frame in
            var id: String?, event = "message", data = ""
            for line in frame.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard event != "heartbeat", !data.isEmpty,
                let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
            else { return nil }
            return (id, event, object)
        }
    }

    /// Waits until an event after the first `earlier` satisfies `match`, and returns it; throws after `timeout` seconds.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double = 30, after earlier: Int = 0, _ match: (String, [String: Any]) -> Bool
    ) throws -> (id: String?, event: String, data: [String: Any]) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = events.dropFirst(earlier).last(where: { match($0.event, $0.data) }) { return found }
            usleep(50_000)
        }
        throw Failure("no \(what) on the event stream within \(timeout) s; got:\n\(text.suffix(3000))")
    }

    /// SIGKILL: the test runner's threads block SIGTERM, and curl inherits that mask.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

extension Dictionary where Key == String, Value == Any {
    /// The chair tile with `id` in a `chair` or `snapshot` message.
    func chairTile(_ id: String) -> [String: Any]? {
        if let chair = self["chair"] as? [String: Any], chair["id"] as? String == id { return chair }
        return (self["chairs"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    /// The daemon link's state in a `daemon` or `snapshot` message.
    var daemonState: String? { (self["daemon"] as? [String: Any])?["state"] as? String }
}
