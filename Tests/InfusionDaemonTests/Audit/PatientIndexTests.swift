import GRDB
@testable import InfusionDaemon
import Testing

/// The audit store's sessions by patient (issue 18, `course`; docs/AUDIT.md "Sessions by patient"), on real SQLite.
struct PatientIndexTests {
    private static func intake(_ patient: String?, chair: String, at second: Int) -> AuditEntry {
        let outline = patient.map { #","session":{"patientID":"\#($0)","profileID":"ketamine-psychiatric"}"# } ?? ""
        return AuditEntry(
            kind: .session, chairID: chair, monotonicNanoseconds: Int64(second) * 1_000_000_000,
            wallClock: "2026-12-07T09:00:\(second < 10 ? "0" : "")\(second)Z",
            payload: #"{"from":"idle","reason":"intake"\#(outline),"to":"intake"}"#)
    }

    private static func checkpoint(_ patient: String, chair: String, at second: Int) -> AuditEntry {
        AuditEntry(
            kind: .checkpoint, chairID: chair, monotonicNanoseconds: Int64(second) * 1_000_000_000,
            wallClock: "2026-12-07T09:00:\(second < 10 ? "0" : "")\(second)Z",
            payload: #"{"checkpoint":{"session":{"intake":{"patientID":"\#(patient)"}}}}"#)
    }

    /// Two chairs, two patients, sessions interleaved: each patient's sessions run from their intake to the chair's
    /// next intake, whichever patient that is.
    private static let entries: [AuditEntry] = [
        intake("P-17", chair: "1", at: 1),  // 1
        auditSampleEntry(2, chair: "1"),  // 2
        intake("P-99", chair: "2", at: 3),  // 3
        auditSampleEntry(4, chair: "2"),  // 4
        auditSampleEntry(5, chair: "1"),  // 5
        intake("P-99", chair: "1", at: 6),  // 6
        auditSampleEntry(7, chair: "1"),  // 7
        intake("P-17", chair: "2", at: 8),  // 8
        auditSampleEntry(9, chair: "2"),  // 9
    ]

    @Test func sessionsAreIndexedByPatientAsTheyAreWritten() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        _ = try await store.append(Self.entries)
        #expect(try await store.sessionsOfPatient("P-17").map { $0.map(\.sequence) } == [[1, 2, 5], [8, 9]])
        #expect(try await store.sessionsOfPatient("P-99").map { $0.map(\.sequence) } == [[3, 4], [6, 7]])
        #expect(try await store.sessionsOfPatient("P-1").isEmpty)
        // Intake's history reads only the session transitions, within the same session bounds.
        #expect(try await store.sessionsOfPatient("P-17", kinds: [.session]).map { $0.map(\.sequence) } == [[1], [8]])
        #expect(try await store.verify() == nil, "the index is beside the chain, not in it")
        try store.close()
    }

    @Test func anIntakeThatDoesNotNameItsPatientIsLeftOutWithoutFailingTheWrite() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let garbled = AuditEntry(kind: .session, chairID: "1", monotonicNanoseconds: 1, payload: #"{"to":"intake", oops"#)
        #expect(try await store.append([garbled, Self.intake(nil, chair: "1", at: 2)]).count == 2)
        #expect(try await store.count() == 2)
        try store.close()
    }

    /// A store written before the index existed: the migration indexes its sessions from the records, the
    /// outline where it names the patient, else the chair's next checkpoint.
    @Test func anOlderStoreIsIndexedWhenOpened() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        var store = try AuditStore(path: scratch.databasePath)
        _ = try await store.append(Self.entries + [Self.intake(nil, chair: "1", at: 10), Self.checkpoint("P-17", chair: "1", at: 11)])
        try store.close()
        let queue = try DatabaseQueue(path: scratch.databasePath)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE patient_session")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-patient-session'")
        }
        try queue.close()

        store = try AuditStore(path: scratch.databasePath)
        #expect(try await store.sessionsOfPatient("P-17").map { $0.map(\.sequence) } == [[1, 2, 5], [8, 9], [10, 11]])
        #expect(try await store.sessionsOfPatient("P-99").map { $0.map(\.sequence) } == [[3, 4], [6, 7]])
        #expect(try await store.verify() == nil)
        try store.close()
    }
}
