import Foundation

/// The built executables, found beside the test bundle (`swift build` puts them there).
enum Products {
    static let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// Child processes of one test, killed when it ends.
final class Children: @unchecked Sendable {
    let scratch: String
    private var processes: [Process] = []
    private let logs = NSLock()
    private var daemonLog = Data()

    init() throws {
        scratch = NSTemporaryDirectory() + "infusiond-udev-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    /// Starts `infusion-sim` outside umockdev (no preload: its pty must be a real one) and waits for
    /// its pty link; returns the pty slave's real path.
    func simulator(_ arguments: [String], link: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Products.path("infusion-sim"))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        let deadline = Date().addingTimeInterval(30)
        while !(FileManager.default.fileExists(atPath: link + ".control") && FileManager.default.fileExists(atPath: link)),
            Date() < deadline
        {
            usleep(20_000)
        }
        let slave = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        return slave
    }

    /// Starts infusiond inside the testbed (it inherits the preload and `UMOCKDEV_DIR`) and waits
    /// until its socket accepts.
    func daemon(config: String, testbedRoot: String) throws -> String {
        let socket = scratch + "/infusiond.sock"
        let configPath = scratch + "/infusiond.json"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Products.path("infusiond"))
        // Its own audit store, so it recovers no other run's chairs.
        process.arguments = [
            "--socket", socket, "--config", configPath, "--log-level", "debug", "--state-dir", scratch + "/state",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["UMOCKDEV_DIR"] = testbedRoot
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.logs.lock()
            self.daemonLog.append(data)
            self.logs.unlock()
        }
        try process.run()
        processes.append(process)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let client = try? SocketClient(path: socket, receiveTimeout: 1) {
                client.close()
                return socket
            }
            guard process.isRunning else { throw TestbedFailure("infusiond exited:\n\(log)") }
            usleep(20_000)
        }
        throw TestbedFailure("infusiond did not serve:\n\(log)")
    }

    /// What the daemon logged so far.
    var log: String {
        logs.lock()
        defer { logs.unlock() }
        return String(decoding: daemonLog, as: UTF8.self)
    }

    deinit {
        for process in processes.reversed() where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }
}

/// A client on infusiond's socket: JSON lines with a receive timeout. The lines it reads are validated
/// against docs/protocol-v2.schema.json when it is released (`WireSchemaCheck`); a simulator's control
/// socket (`*.control`) is not infusiond's and is not checked.
final class SocketClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let path: String
    private var received: [String] = []

    init(path: String, receiveTimeout: Int = 30) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw TestbedFailure("connect \(path): \(errno)")
        }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() { Glibc.close(fd) }

    deinit {
        if !path.hasSuffix(".control") { WireSchemaCheck.check(received, from: "SocketClient on \(path)") }
    }

    /// The next line as a JSON object; throws on timeout or close.
    func readJSON() throws -> [String: Any] {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                received.append(String(decoding: line, as: UTF8.self))
                guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw TestbedFailure("not a JSON object")
                }
                return object
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw TestbedFailure("no line (errno \(errno))") }
            buffer += chunk[..<count]
        }
    }

    /// Sends one line and reads nothing back (a simulator's control socket answers in plain text).
    func sendLine(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestbedFailure("send failed")
        }
    }

    /// Sends a request and returns its reply, skipping events.
    func request(_ line: String) throws -> [String: Any] {
        let bytes = Array((line + "\n").utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestbedFailure("send failed")
        }
        while true {
            let message = try readJSON()
            if message["reply"] != nil { return message }
        }
    }

    /// Reads events until one satisfies `match`, failing after `seconds`.
    func waitForEvent(_ name: String, within seconds: Double = 30, _ match: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let message: [String: Any]
            do { message = try readJSON() } catch { throw TestbedFailure("waiting for \(name): \(error)") }
            if message["event"] as? String == name, match(message["data"] as? [String: Any] ?? [:]) { return message }
        }
        throw TestbedFailure("no \(name) event within \(seconds) s")
    }
}

extension Dictionary where Key == String, Value == Any {
    var ok: Bool { self["ok"] as? Bool ?? false }
    var result: [String: Any] { self["result"] as? [String: Any] ?? [:] }
    var detail: [String: Any] { self["detail"] as? [String: Any] ?? [:] }
}
