import Foundation

/// The independent interface engine: python-hl7's MLLP server from `.venv-peers` (Tests/Fixtures/hl7bridge/
/// mllp_peer.py), which acknowledges each message and records it, validated by hl7apy, as one JSON line.
final class MLLPPeer: @unchecked Sendable {
    /// One message as the peer received it.
    struct Received {
        var controlID: String
        var type: String
        var ack: String
        var valid: Bool
        var error: String
        var text: String

        /// The `seq` and kind in a control id `<prefix>.<seq>.<kind>`.
        var seq: UInt64 { UInt64(controlID.split(separator: ".").dropLast().last ?? "") ?? 0 }

        /// The fields of the first segment named `name` (field n at index n; MSH-1 is the separator itself).
        func field(_ name: String, _ number: Int) -> String? {
            guard let segment = text.split(separator: "\r").first(where: { $0.hasPrefix(name + "|") }) else { return nil }
            let fields = segment.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let index = name == "MSH" ? number - 1 : number
            return index < fields.count ? fields[index] : nil
        }

        /// The control id, and for an alert its instance (OBR-2) and phase, to tell a failure's story.
        var summary: String {
            guard type == "R40" else { return controlID }
            return "\(controlID) \(field("OBR", 2) ?? "?") \(observations(68_481).first?[5] ?? "?")"
        }

        /// The OBX rows whose OBX-3 is the 11073 `code`.
        func observations(_ code: Int) -> [[String]] {
            text.split(separator: "\r").filter { $0.hasPrefix("OBX|") }
                .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
                .filter { $0.count > 3 && $0[3].hasPrefix("\(code)^") }
        }
    }

    let output: String
    private(set) var port: Int
    private var process: Process?
    private let scratch: ScratchDirectory
    private let answers: String
    private let tls: [String]

    /// Starts the peer on a free port (`port` 0) or the given one; `answers` are the codes for its first messages;
    /// `tls` (certificate, key, the one client certificate it accepts) makes it a TLS server.
    init(scratch: ScratchDirectory, port: Int = 0, answers: String = "", tls: [String] = []) throws {
        self.scratch = scratch
        self.answers = answers
        self.tls = tls
        output = scratch.file("received.jsonl")
        self.port = port
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        try start()
    }

    func start() throws {
        let python = BuiltProducts.packageRoot.appendingPathComponent(".venv-peers/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure("\(python) is missing: run scripts/setup (it installs python-hl7 and hl7apy)")
        }
        if port == 0 { port = try Self.freePort() }
        let readyFile = scratch.file("peer-\(UUID().uuidString.prefix(6)).out")
        _ = FileManager.default.createFile(atPath: readyFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        let script = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/hl7bridge/mllp_peer.py").path
        process.arguments =
            [script, "\(port)", output] + (answers.isEmpty ? [] : ["--answers", answers]) + (tls.isEmpty ? [] : ["--tls"] + tls)
        // Files, not pipes: a pipe inherited by another test's child could hold it open.
        process.standardOutput = FileHandle(forWritingAtPath: readyFile)
        process.standardError = FileHandle(forWritingAtPath: readyFile)
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? String(contentsOfFile: readyFile, encoding: .utf8))?.contains("ready") == true { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        throw Failure("the MLLP peer did not start: \((try? String(contentsOfFile: readyFile, encoding: .utf8)) ?? "")")
    }

    /// The engine goes away at once (SIGKILL: no goodbye on the connection).
    func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var received: [Received] {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Received(
                controlID: object["controlID"] as? String ?? "", type: object["type"] as? String ?? "",
                ack: object["ack"] as? String ?? "", valid: object["valid"] as? Bool ?? false,
                error: object["error"] as? String ?? "", text: object["text"] as? String ?? "")
        }
    }

    /// Polls until `condition` holds for what was received; throws after `timeout` seconds.
    @discardableResult
    func waitUntil(_ what: String, timeout: Double = 30, _ condition: ([Received]) -> Bool) throws -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let received = self.received
            if condition(received) { return received }
            usleep(100_000)
        }
        throw Failure("the engine never saw \(what) within \(timeout) s; it has \(received.map(\.summary))")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure("no free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { kill() }
}

/// A real `infusion-hl7` on a chair's socket, sending to `engine`; its log goes to a file in the scratch directory.
final class BridgeProcess: @unchecked Sendable {
    let logPath: String
    let stateDirectory: String
    private var process: Process?
    private let arguments: [String]

    convenience init(scratch: ScratchDirectory, socket: String, enginePort: Int, configuration: String) throws {
        try self.init(scratch: scratch, socket: socket, engineAddress: "127.0.0.1:\(enginePort)", configuration: configuration)
    }

    /// `extraArguments` follow the usual ones (`--listen HOST:PORT`, ...).
    init(
        scratch: ScratchDirectory, socket: String, engineAddress: String, configuration: String, extraArguments: [String] = []
    ) throws {
        let configPath = scratch.file("infusion-hl7.json")
        try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
        stateDirectory = scratch.file("hl7-state")
        logPath = scratch.file("infusion-hl7.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        arguments = [
            "--socket", socket, "--state-dir", stateDirectory, "--send", engineAddress, "--config", configPath,
            "--log-level", "debug",
        ] + extraArguments
        try start()
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("infusion-hl7"))
        process.arguments = arguments
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// SIGKILL: the bridge dies wherever it is, as in a crash or power loss.
    func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var isRunning: Bool { process?.isRunning ?? false }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit { kill() }
}
