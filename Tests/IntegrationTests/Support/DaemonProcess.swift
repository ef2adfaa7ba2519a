import Foundation

/// A real `infusiond` process on a temporary socket, stopped (SIGKILL as a last resort) when released.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let socketPath: String
    private let stderrPipe = Pipe()
    private let log = Locked(Data())

    /// Starts infusiond with `arguments` added to `--socket PATH`, and waits until the socket accepts.
    init(
        scratch: ScratchDirectory, config: String? = nil, arguments: [String] = [],
        environment: [String: String] = [:], waitForSocket: Bool = true, launcher: [String] = []
    ) throws {
        socketPath = scratch.file("infusiond.sock")
        // Each daemon keeps its audit store in its own scratch directory, so no test recovers another's chairs.
        var args = ["--socket", socketPath, "--log-level", "debug", "--state-dir", scratch.file("state")]
        if let config {
            let configPath = scratch.file("infusiond.json")
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            args += ["--config", configPath]
        }
        // A launcher (for example `unshare ... exec "$@"`) runs first and execs the daemon, keeping its pid.
        let command = launcher + [BuiltProducts.path("infusiond")] + args + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.merge(environment) { $1 }
        process.environment = env
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        let sink = log
        stderrPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            sink.mutate { $0.append(data) }
        }
        try process.run()
        if waitForSocket { try waitUntilServing() }
    }

    /// What the daemon logged so far.
    var logText: String { String(decoding: log.get(), as: UTF8.self) }

    /// Polls until a client can connect (at most 30 s: CI machines are small and shared).
    func waitUntilServing() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let client = try? LineClient(path: socketPath) {
                client.close()
                return
            }
            if !process.isRunning { throw Failure("infusiond exited early:\n\(logText)") }
            usleep(20_000)
        }
        throw Failure("infusiond did not start serving:\n\(logText)")
    }

    /// Sends `signal` without waiting for the exit.
    func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Sends `signal` and waits for the exit status (at most 10 s).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return try waitForExit()
    }

    /// Waits for the process to end on its own (at most `timeout` s).
    func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { throw Failure("infusiond did not exit:\n\(logText)") }
        process.waitUntilExit()
        collectRemainingLog()
        return process.terminationStatus
    }

    /// After exit, takes whatever the log pipe still holds, so no late line is lost to the handler's timing.
    private func collectRemainingLog() {
        let handle = stderrPipe.fileHandleForReading
        usleep(50_000)
        handle.readabilityHandler = nil
        if let rest = try? handle.readToEnd() { log.mutate { $0.append(rest) } }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
