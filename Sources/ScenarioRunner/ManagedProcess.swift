import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process the runner started: a simulator or infusiond. Its stdout and stderr go to a log
/// file (appended, so a restarted daemon keeps one log). Released processes are killed.
final class ManagedProcess {
    let name: String
    let logPath: String
    private let process = Process()

    /// Starts `executable` with `arguments`; throws when it cannot be started at all.
    init(name: String, executable: String, arguments: [String], logPath: String) throws(RunnerFailure) {
        self.name = name
        self.logPath = logPath
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw RunnerFailure("cannot write \(logPath)") }
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The runner is not a systemd service; a daemon that inherits NOTIFY_SOCKET would talk to the wrong one.
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RunnerFailure("cannot start \(name) (\(executable)): \(error)")
        }
    }

    var isRunning: Bool { process.isRunning }
    var identifier: Int32 { process.processIdentifier }

    /// Sends `signal` and waits up to `timeout` seconds for the exit; SIGKILL after that.
    func stop(signal: Int32 = SIGTERM, timeout: Double = 10) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The last `lines` lines of the log, for failure reports.
    func logTail(lines: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit { stop(signal: SIGKILL, timeout: 2) }
}
