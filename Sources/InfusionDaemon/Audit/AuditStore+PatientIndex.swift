internal import Foundation
import GRDB

/// The store's index of sessions by patient (issue 18, `course`): one row per session intake, naming the patient,
/// written in the same transaction as the intake's record.
///
/// A session begins with its intake transition (`"to":"intake"`) and runs until the chair's next intake. Stores
/// written before the index existed are indexed by the migration that creates it, from the same records: the
/// transition's outline where it names the patient, else the chair's first checkpoint after it (docs/AUDIT.md).
extension AuditStore {
    /// The records of each of `patientID`'s sessions, oldest first; each session's records in chain order, from its
    /// intake to the chair's next intake, only those of `kinds` when given. Reads on GRDB's reader pool.
    /// - Throws: ``AuditStoreError/unreadableRecord(sequence:)`` when a row was altered beyond reading.
    package func sessionsOfPatient(_ patientID: String, kinds: [AuditKind]? = nil) async throws -> [[AuditRecord]] {
        let kindFilter = kinds.map { kinds in
            " AND kind IN (" + kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        } ?? ""
        return try await pool.read { db in
            let starts = try Row.fetchAll(
                db, sql: "SELECT intake_sequence, chair_id FROM patient_session WHERE patient_id = ? ORDER BY intake_sequence",
                arguments: [patientID])
            return try starts.map { row in
                let start: Int64 = row["intake_sequence"]
                let chair: String = row["chair_id"]
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM audit_record WHERE chair_id = ?1 AND sequence >= ?2 AND sequence < coalesce(
                            (SELECT min(sequence) FROM audit_record WHERE chair_id = ?1 AND sequence > ?2
                                AND kind = 'session' AND payload LIKE '%"to":"intake"%'),
                            9223372036854775807)\(kindFilter)
                        ORDER BY sequence
                        """,
                    arguments: [chair, start]
                ).map(Self.requireRecord(from:))
            }
        }
    }

    /// Indexes `entry`, just stored as `sequence`, when it is a session's intake naming its patient. A payload that
    /// does not read leaves the record unindexed rather than failing the audit write.
    static func indexPatientSession(_ entry: AuditEntry, sequence: Int64, in db: Database) throws {
        guard entry.kind == .session, entry.payload.contains(#""to":"intake""#),
            let intake = try? JSONDecoder().decode(IntakeTransition.self, from: Data(entry.payload.utf8)),
            let patientID = intake.session?.patientID, !patientID.isEmpty
        else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO patient_session (intake_sequence, patient_id, chair_id) VALUES (?, ?, ?)",
            arguments: [sequence, patientID, entry.chairID])
    }

    /// Creates the index and fills it from the records already stored.
    static func createPatientIndex(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE patient_session (
                    intake_sequence INTEGER PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    chair_id TEXT NOT NULL
                );
                CREATE INDEX patient_session_by_patient ON patient_session (patient_id, intake_sequence);
                INSERT INTO patient_session (intake_sequence, patient_id, chair_id)
                SELECT sequence, patient_id, chair_id FROM (
                    SELECT s.sequence, s.chair_id, coalesce(
                        nullif(CASE WHEN json_valid(s.payload) THEN json_extract(s.payload, '$.session.patientID') END, ''),
                        (SELECT CASE WHEN json_valid(c.payload)
                                THEN json_extract(c.payload, '$.checkpoint.session.intake.patientID') END
                            FROM audit_record c
                            WHERE c.chair_id = s.chair_id AND c.kind = 'checkpoint' AND c.sequence > s.sequence
                            ORDER BY c.sequence LIMIT 1)) AS patient_id
                    FROM audit_record s
                    WHERE s.kind = 'session' AND s.payload LIKE '%"to":"intake"%')
                WHERE patient_id IS NOT NULL AND patient_id <> '';
                """)
    }
}

/// The part of an intake transition's payload the index reads.
private struct IntakeTransition: Decodable {
    struct Outline: Decodable {
        var patientID: String?
    }

    var session: Outline?
}
