import Foundation
import Testing

/// Runs external programs (socat, ncat, systemd-analyze, infusionctl) the way a person would.
struct CommandOutcome: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout split into non-empty lines.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

enum Shell {
    /// Runs `/bin/sh -c script` with an optional stdin, waits at most `timeout` seconds.
    ///
    /// When the script is a line client of the daemon's socket (`socat`, `ncat`, or `infusionctl --json`
    /// on a path ending in `infusiond.sock`), every JSON line it printed is validated against the wire
    /// schema (`WireSchema`).
    @discardableResult
    static func run(
        _ script: String, input: String? = nil, environment: [String: String] = [:], timeout: Double = 30,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
    ) throws -> CommandOutcome {
        let outcome = try runUnchecked(script, input: input, environment: environment, timeout: timeout)
        if isDaemonLineClient(script) {
            WireSchema.checkOutput(
                outcome.stdout, from: "shell: \(script.prefix(200))", fileID: fileID, filePath: filePath, line: line, column: column)
        }
        return outcome
    }

    /// Whether `script` prints the lines of infusiond's socket as they came.
    static func isDaemonLineClient(_ script: String) -> Bool {
        guard script.contains("infusiond.sock") else { return false }
        return script.contains("socat") || script.contains("ncat -U") || (script.contains("infusionctl") && script.contains("--json"))
    }

    private static func runUnchecked(
        _ script: String, input: String?, environment: [String: String], timeout: Double
    ) throws -> CommandOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let outData = Locked(Data())
        let errData = Locked(Data())
        let group = DispatchGroup()
        for (handle, sink) in [(out.fileHandleForReading, outData), (err.fileHandleForReading, errData)] {
            group.enter()
            DispatchQueue.global().async {
                let data = handle.readDataToEndOfFile()
                sink.set(data)
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            _ = group.wait(timeout: .now() + 5)
            throw TimedOut(command: script, stdout: String(decoding: outData.get(), as: UTF8.self))
        }
        process.waitUntilExit()
        _ = group.wait(timeout: .now() + 5)
        return CommandOutcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData.get(), as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    struct TimedOut: Error, CustomStringConvertible {
        var command: String
        var stdout: String
        var description: String { "timed out: \(command)\nstdout so far: \(stdout)" }
    }
}

/// A value shared between threads under a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ newValue: Value) { lock.lock(); value = newValue; lock.unlock() }
    @discardableResult
    func mutate<Result>(_ body: (inout Value) -> Result) -> Result { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
