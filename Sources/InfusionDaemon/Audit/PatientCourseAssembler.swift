internal import ClinicalExports
internal import Foundation
package import InfusionCore
package import WireProtocol

/// Reads a patient's sessions back from the audit log (issue 18, `course`, and the history intake's cross-session
/// limits are checked against). Each session is assembled once by ``SessionRecordAssembler``, as `report` does,
/// and summarised from that: its vitals, alarms and the nurse's scores.
package struct PatientCourseAssembler {
    /// The scales whose scores the course gives as outcomes (`core.outcomeScales`).
    package var outcomeScales: [String]

    package init(outcomeScales: [String]) {
        self.outcomeScales = outcomeScales
    }

    /// One session's report input and when its patient was taken in.
    private struct Session {
        var set: SessionRecordSet
        var takenInAt: UTCInstant
    }

    /// The patient's course from `sessions` (each one session's records, from its intake, as
    /// ``AuditStore/sessionsOfPatient(_:)`` returns them). A session whose records hold no patient is left out.
    package func course(patientID: String, sessions: [[AuditRecord]]) -> PatientCourse {
        var previousStart: UTCInstant?
        var started = 0
        let summaries = Self.assemble(sessions).map { session -> CourseSession in
            let set = session.set
            var seriesNumber: Int?
            var daysSincePrevious: Double?
            if let start = set.infusionStartedAt {
                started += 1
                seriesNumber = started
                daysSincePrevious = previousStart.map { Double(start.millisecondsSinceEpoch - $0.millisecondsSinceEpoch) / 86_400_000 }
                previousStart = start
            }
            let scores = Self.scores(in: set)
            return CourseSession(
                sessionID: set.sessionID, chair: set.chairID, takenInAt: Self.wire(session.takenInAt),
                startedAt: set.infusionStartedAt.map(Self.wire), endedAt: set.infusionEndedAt.map(Self.wire),
                durationMinutes: Self.minutes(from: set.infusionStartedAt, to: set.infusionEndedAt),
                outcome: Self.wire(set.outcome), profileID: set.patient.profileID, weightKilograms: set.patient.weight.value,
                deliveredMilligrams: set.deliveredDose.value,
                deliveredMilligramsPerKilogram: set.deliveredDose.value / set.patient.weight.value,
                peakSystolic: Self.vitals(set, [.nibpSystolic]).max(), peakHeartRate: Self.vitals(set, [.ecgHeartRate, .pulseRate]).max(),
                lowestSpO2: Self.vitals(set, [.spo2]).min(), alarmCount: Self.alarmsRaised(set),
                observations: scores.keys.sorted().compactMap { scale in
                    guard let values = scores[scale], let lowest = values.min(), let highest = values.max() else { return nil }
                    return ScaleExtremes(scale: scale, lowest: lowest, highest: highest, count: values.count)
                },
                outcomes: outcomeScales.compactMap { scale in scores[scale]?.last.map { OutcomeScore(scale: scale, value: $0) } },
                seriesNumber: seriesNumber, daysSincePrevious: daysSincePrevious)
        }
        return PatientCourse(patientID: patientID, outcomeScales: outcomeScales, sessions: summaries)
    }

    /// What intake's cross-session limits need of `sessions` (their session transitions suffice, so intake reads
    /// only those: ``AuditStore/sessionsOfPatient(_:kinds:)`` with `.session`): each started session's start, and
    /// the weight and profile its intake outline names, as of `asOf` (wall-clock seconds since the Unix epoch).
    package static func history(of sessions: [[AuditRecord]], asOf: Double) -> PatientHistory {
        let decoder = JSONDecoder()
        return PatientHistory(
            asOf: asOf,
            sessions: sessions.compactMap { records in
                let transitions = records.filter { $0.entry.kind == .session }.compactMap { record in
                    (try? decoder.decode(SessionTransition.self, from: Data(record.entry.payload.utf8))).map { (record, $0) }
                }
                guard let outline = transitions.first?.1.session,
                    let start = transitions.first(where: { $0.1.to == .infusing })?.0,
                    let milliseconds = AuditEntry.epochMilliseconds(of: start.entry.wallClock)
                else { return nil }
                return PastSession(
                    startedAt: Double(milliseconds) / 1000, weight: outline.weight, profileID: outline.profileID)
            })
    }

    private static func assemble(_ sessions: [[AuditRecord]]) -> [Session] {
        let unknown = SessionDevice(vendor: "unknown", model: "unknown", serial: "unknown")
        return sessions.map(withoutOtherSessionsCheckpoints).compactMap { records in
            guard let first = records.first,
                let set = try? SessionRecordAssembler(chairID: first.entry.chairID, pump: unknown, monitor: unknown)
                    .assemble(records)
            else { return nil }
            let takenIn = UTCInstant(millisecondsSinceEpoch: AuditEntry.epochMilliseconds(of: first.entry.wallClock) ?? 0)
            return Session(set: set, takenInAt: takenIn)
        }
    }

    /// `records` without the checkpoints of another session. A checkpoint is recorded at the next command's result
    /// or at the end of the dispatcher's pass, so the last one of the previous session can land after the next
    /// intake's transition, inside this session's records; a checkpoint belongs to this session when its session
    /// was taken in at the instant of this session's intake transition (both are the intake's instant, and a
    /// restored session keeps it).
    private static func withoutOtherSessionsCheckpoints(_ records: [AuditRecord]) -> [AuditRecord] {
        let decoder = JSONDecoder()
        guard let first = records.first, first.entry.kind == .session,
            let intake = try? decoder.decode(SessionTransition.self, from: Data(first.entry.payload.utf8))
        else { return records }
        return records.filter { record in
            guard record.entry.kind == .checkpoint,
                let stored = try? decoder.decode(StoredCheckpoint.self, from: Data(record.entry.payload.utf8)),
                let takenIn = stored.checkpoint.session?.takenInAt
            else { return true }
            // A checkpoint written before sessions kept their intake instant cannot be told apart: it stays.
            return takenIn == intake.time
        }
    }

    /// Every score each scale was given in the session (the report's observation entries), in the order given.
    private static func scores(in set: SessionRecordSet) -> [String: [Int]] {
        var scores: [String: [Int]] = [:]
        for case .observation(let observation) in set.entries { scores[observation.scale, default: []].append(observation.value) }
        return scores
    }

    private static func vitals(_ set: SessionRecordSet, _ parameters: Set<VitalParameter>) -> [Double] {
        set.entries.compactMap { entry in
            guard case .vital(let vital) = entry, parameters.contains(vital.parameter), vital.flags.isEmpty else { return nil }
            return vital.value
        }
    }

    private static func alarmsRaised(_ set: SessionRecordSet) -> Int {
        set.entries.count { entry in
            if case .alarm(let alarm) = entry { return alarm.transition == .raised }
            return false
        }
    }

    private static func minutes(from start: UTCInstant?, to end: UTCInstant?) -> Double? {
        guard let start, let end else { return nil }
        return Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 60_000
    }

    private static func wire(_ instant: UTCInstant) -> WireTimestamp {
        WireTimestamp(epochMilliseconds: instant.millisecondsSinceEpoch)
    }

    private static func wire(_ outcome: InfusionOutcome) -> CourseSession.Outcome {
        switch outcome {
        case .notDone: .notDone
        case .inProgress: .inProgress
        case .onHold: .onHold
        case .completed: .completed
        case .stopped: .stopped
        }
    }
}
