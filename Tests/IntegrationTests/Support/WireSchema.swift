import Foundation
import Testing

/// Validates lines the daemon sent against docs/protocol-v2.schema.json with a real JSON Schema validator:
/// `scripts/wire-schema-check --serve` (python `jsonschema` from `.venv-peers`, Draft 2020-12, date-time
/// format checked). One validator process serves the whole test process: a batch of lines goes down its
/// stdin as one JSON array, the invalid ones come back as one JSON line, so a client's lines are checked in
/// one round trip when it closes and reading never waits for the validator.
///
/// Every invalid line is a recorded test issue naming its source, the line and the validator's message.
/// `INFUSIOND_WIRE_SCHEMA=off` turns validation off (to look at a v1 daemon); `INFUSIOND_WIRE_SCHEMA_LOG=FILE`
/// also appends each failure to FILE as a JSON line, to survey a whole run; `INFUSIOND_WIRE_LINES=FILE` appends
/// every line checked, to see which messages the suite exercises (`scripts/wire-schema-check --coverage FILE`).
final class WireSchema: @unchecked Sendable {
    static let shared = WireSchema()

    /// Whether lines are validated in this process.
    static let isEnabled = ProcessInfo.processInfo.environment["INFUSIOND_WIRE_SCHEMA"] != "off"

    private let lock = NSLock()
    private var process: Process?
    private var requests: FileHandle?
    private var answers: FileHandle?
    private var pending: [UInt8] = []

    private init() {}

    struct Problem: Sendable, Equatable {
        var line: String
        var message: String
    }

    /// The lines of `lines` that do not validate, with the validator's reason. Throws when the validator
    /// cannot be run or does not answer.
    func problems(in lines: [String]) throws -> [Problem] {
        guard !lines.isEmpty else { return [] }
        lock.lock()
        defer { lock.unlock() }
        let request = try JSONSerialization.data(withJSONObject: lines) + Data("\n".utf8)
        do {
            let answer = try roundTrip(request)
            return try decode(answer, lines)
        } catch {
            // A dead validator is restarted on the next batch.
            process?.terminate()
            process = nil
            throw error
        }
    }

    /// Where a problem goes instead of a recorded test issue: set only by the tests of this hook itself, which
    /// collect what it reports and assert on it.
    @TaskLocal static var reporter: (@Sendable (String) -> Void)?

    /// Validates `lines` received by `source` and records an issue for each invalid one (and one when the
    /// validator cannot run: validation is part of what the integration suite checks).
    static func check(
        _ lines: [String], from source: String,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
    ) {
        guard isEnabled, !lines.isEmpty else { return }
        if let path = ProcessInfo.processInfo.environment["INFUSIOND_WIRE_LINES"] {
            append(lines.map { $0 + "\n" }.joined(), to: path)
        }
        let sourceLocation = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
        let found: [Problem]
        do {
            found = try shared.problems(in: lines)
        } catch {
            report("the wire schema validator failed (\(error)); \(lines.count) lines from \(source) unchecked", at: sourceLocation)
            return
        }
        for problem in found {
            report(
                "a line from infusiond (\(source)) does not match docs/protocol-v2.schema.json: "
                    + "\(problem.message)\n  line: \(problem.line.prefix(4000))", at: sourceLocation)
        }
        log(found, source: source)
    }

    /// Validates the lines of `text` that are JSON objects (a shell client's output: socat, ncat).
    static func checkOutput(
        _ text: String, from source: String,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
    ) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            .filter { $0.hasPrefix("{") }
        check(lines, from: source, fileID: fileID, filePath: filePath, line: line, column: column)
    }

    private static func report(_ message: String, at sourceLocation: SourceLocation) {
        if let reporter { reporter(message) } else { Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation) }
    }

    private static func log(_ problems: [Problem], source: String) {
        guard !problems.isEmpty, let path = ProcessInfo.processInfo.environment["INFUSIOND_WIRE_SCHEMA_LOG"] else { return }
        var text = ""
        for problem in problems {
            let entry = ["test": Test.current?.name ?? "?", "source": source, "message": problem.message, "line": problem.line]
            if let data = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) {
                text += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        append(text, to: path)
    }

    private static func append(_ text: String, to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { return }
        defer { Glibc.close(descriptor) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    private func roundTrip(_ request: Data) throws -> [UInt8] {
        if process == nil { try start() }
        guard let requests, let answers else { throw Failure("the wire schema validator is not running") }
        try requests.write(contentsOf: request)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let answer = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return answer
            }
            // availableData returns what the pipe holds once anything is there (read(upToCount:) waits for all).
            let chunk = answers.availableData
            guard !chunk.isEmpty else {
                throw Failure("the wire schema validator ended without an answer")
            }
            pending += chunk
        }
    }

    private func decode(_ answer: [UInt8], _ lines: [String]) throws -> [Problem] {
        guard let failures = try JSONSerialization.jsonObject(with: Data(answer)) as? [[String: Any]] else {
            throw Failure("the wire schema validator answered \(String(decoding: answer, as: UTF8.self))")
        }
        return try failures.map { failure in
            guard let index = failure["index"] as? Int, lines.indices.contains(index), let message = failure["message"] as? String
            else { throw Failure("the wire schema validator answered \(failure)") }
            return Problem(line: lines[index], message: message)
        }
    }

    private func start() throws {
        let script = BuiltProducts.packageRoot.appendingPathComponent("scripts/wire-schema-check").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["--serve"]
        let toValidator = Pipe()
        let fromValidator = Pipe()
        process.standardInput = toValidator
        process.standardOutput = fromValidator
        process.standardError = FileHandle.standardError
        try process.run()
        self.process = process
        requests = toValidator.fileHandleForWriting
        answers = fromValidator.fileHandleForReading
        pending = []
    }
}
