import Foundation
@testable import InfusionDaemon

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct AuditScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/audit.sqlite" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// An entry with recognisable fields; `index` makes each one distinct.
func auditSampleEntry(_ index: Int, chair: String = "chair-1", payloadBytes: Int = 0) -> AuditEntry {
    let padding = String(repeating: "x", count: payloadBytes)
    return AuditEntry(
        kind: index % 2 == 0 ? .operatorCommand : .vital,
        chairID: chair,
        monotonicNanoseconds: Int64(index) * 1_000_000,
        wallClock: "2026-11-28T00:00:\(String(format: "%02d", index % 60))Z",
        actor: index % 2 == 0 ? AuditActor(uid: 1000, role: "clinician") : nil,
        payload: #"{"index":\#(index),"pad":"\#(padding)"}"#
    )
}

/// Runs a command and returns its exit status.
@discardableResult
func runAuditCommand(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
