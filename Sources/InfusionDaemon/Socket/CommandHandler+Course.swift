internal import Foundation
internal import InfusionCore
internal import WireProtocol

/// The patient's course (issue 18): `course` reads a patient's sessions from the audit store's patient index, and
/// intake gets the patient's history from the same place for its cross-session limits.
extension CommandHandler {
    /// `course`: every session of one patient, oldest first (off the event loop, on GRDB's reader pool).
    func course(_ request: Request) async throws -> [UInt8] {
        guard let patientID = try request.string("patientID"), patientID.contains(where: { !$0.isWhitespace }) else {
            throw WireError.badRequest("'course' needs a non-empty 'patientID'")
        }
        let sessions = try await sessionsOfPatient(patientID)
        let course = PatientCourseAssembler(outcomeScales: context.core.outcomeScales).course(patientID: patientID, sessions: sessions)
        return MessageFraming.success(request.command, id: request.id, result: course)
    }

    /// `action` with the patient's history filled in when it is an intake and the daemon keeps an audit store.
    /// A store that cannot be read refuses the intake: the limits it would check are not to be skipped unseen.
    func withPatientHistory(_ action: OperatorAction) async throws -> OperatorAction {
        guard case .intake(var intake) = action, context.recorder != nil else { return action }
        let sessions = try await sessionsOfPatient(intake.patientID, kinds: [.session])
        intake.history = PatientCourseAssembler.history(of: sessions, asOf: Date().timeIntervalSince1970)
        return .intake(intake)
    }

    private func sessionsOfPatient(_ patientID: String, kinds: [AuditKind]? = nil) async throws -> [[AuditRecord]] {
        guard let store = await context.recorder?.writer.committedStore() else {
            throw WireError(code: "no-audit-store", message: "this daemon runs without an audit store")
        }
        do {
            return try await store.sessionsOfPatient(patientID, kinds: kinds)
        } catch {
            throw WireError(code: "audit-unreadable", message: "the audit store cannot be read: \(error)")
        }
    }
}
