import Foundation
import Testing

/// Validates lines infusiond sent against docs/protocol-v2.schema.json with `scripts/wire-schema-check` (python
/// `jsonschema` from `.venv-peers`), one run per client when it is released, as the integration tests do
/// (IntegrationTests' `WireSchema`): here the device events (`device.added`, `device.removed`, `device.refused`,
/// `device.adopted`) are checked too. An invalid line is a test issue naming it. `INFUSIOND_WIRE_SCHEMA=off`
/// turns it off.
enum WireSchemaCheck {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static func check(_ lines: [String], from source: String) {
        guard ProcessInfo.processInfo.environment["INFUSIOND_WIRE_SCHEMA"] != "off", !lines.isEmpty else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("infusiond-wire-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = packageRoot.appendingPathComponent("scripts/wire-schema-check")
        process.arguments = [file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: file)
            try process.run()
            // Read to the end before waiting, so a long report never fills the pipe and stalls the validator.
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            switch process.terminationStatus {
            case 0: break
            case 1: Issue.record(Comment(rawValue: "lines from infusiond (\(source)) do not match docs/protocol-v2.schema.json:\n\(text)"))
            default: Issue.record(Comment(rawValue: "the wire schema validator failed (\(process.terminationStatus)): \(text)"))
            }
        } catch {
            Issue.record(Comment(rawValue: "the wire schema validator could not run: \(error)"))
        }
    }
}
