/// The result of `course`: one patient's sessions across chairs and days, from the audit log
/// (docs/PROTOCOL.md "course").
public struct PatientCourse: Codable, Sendable, Hashable {
    public var patientID: String
    /// The scales whose scores measure the treatment's effect (the configuration's `core.outcomeScales`), in
    /// the order a trend shows them.
    public var outcomeScales: [String]
    /// The patient's sessions, oldest first.
    public var sessions: [CourseSession]

    public init(patientID: String, outcomeScales: [String], sessions: [CourseSession]) {
        self.patientID = patientID
        self.outcomeScales = outcomeScales
        self.sessions = sessions
    }
}

/// One session of a patient's course. Every measured field is absent when the session recorded none.
public struct CourseSession: Codable, Sendable, Hashable {
    /// The audit store's session identifier, as `report` exports name it (chair and intake record).
    public var sessionID: String
    public var chair: String
    /// The intake.
    public var takenInAt: WireTimestamp
    /// When the infusion started and ended; absent when it did not.
    public var startedAt: WireTimestamp?
    public var endedAt: WireTimestamp?
    /// From start to end, in minutes.
    public var durationMinutes: Double?
    /// Where the infusion stands, as the session report says.
    public var outcome: Outcome
    public var profileID: String
    /// The dosing weight.
    public var weightKilograms: Double
    /// The dose delivered, in mg and per kilogram of the dosing weight.
    public var deliveredMilligrams: Double
    public var deliveredMilligramsPerKilogram: Double
    /// The highest cuff systolic pressure (mmHg) and heart rate (/min), and the lowest SpO₂ (%), among the
    /// valid readings the audit log kept.
    public var peakSystolic: Double?
    public var peakHeartRate: Double?
    public var lowestSpO2: Double?
    /// How many alarms were raised.
    public var alarmCount: Int
    /// The lowest and highest score of each scale observed, in scale-id order.
    public var observations: [ScaleExtremes]
    /// The last score of each outcome scale the session recorded, in the order of `outcomeScales`.
    public var outcomes: [OutcomeScore]
    /// The session's place in the patient's series: 1 for the first whose infusion started; absent for a session
    /// that never started (it gave no drug).
    public var seriesNumber: Int?
    /// Days from the previous started session's start to this one's.
    public var daysSincePrevious: Double?

    public init(
        sessionID: String, chair: String, takenInAt: WireTimestamp, startedAt: WireTimestamp?, endedAt: WireTimestamp?,
        durationMinutes: Double?, outcome: Outcome, profileID: String, weightKilograms: Double, deliveredMilligrams: Double,
        deliveredMilligramsPerKilogram: Double, peakSystolic: Double?, peakHeartRate: Double?, lowestSpO2: Double?,
        alarmCount: Int, observations: [ScaleExtremes], outcomes: [OutcomeScore], seriesNumber: Int?,
        daysSincePrevious: Double?
    ) {
        (self.sessionID, self.chair, self.takenInAt, self.startedAt, self.endedAt) = (sessionID, chair, takenInAt, startedAt, endedAt)
        (self.durationMinutes, self.outcome, self.profileID, self.weightKilograms) = (durationMinutes, outcome, profileID, weightKilograms)
        (self.deliveredMilligrams, self.deliveredMilligramsPerKilogram) = (deliveredMilligrams, deliveredMilligramsPerKilogram)
        (self.peakSystolic, self.peakHeartRate, self.lowestSpO2, self.alarmCount) = (peakSystolic, peakHeartRate, lowestSpO2, alarmCount)
        (self.observations, self.outcomes, self.seriesNumber, self.daysSincePrevious) = (observations, outcomes, seriesNumber, daysSincePrevious)
    }
}

extension CourseSession {
    /// Where a session's infusion stands (the report's `outcome`).
    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        case notDone = "not-done"
        case inProgress = "in-progress"
        case onHold = "on-hold"
        case completed
        case stopped
    }
}

/// The range of one scale's scores in a session.
public struct ScaleExtremes: Codable, Sendable, Hashable {
    public var scale: String
    public var lowest: Int
    public var highest: Int
    /// How many scores were recorded.
    public var count: Int

    public init(scale: String, lowest: Int, highest: Int, count: Int) {
        (self.scale, self.lowest, self.highest, self.count) = (scale, lowest, highest, count)
    }
}

/// A session's score on an outcome scale.
public struct OutcomeScore: Codable, Sendable, Hashable {
    public var scale: String
    public var value: Int

    public init(scale: String, value: Int) {
        (self.scale, self.value) = (scale, value)
    }
}
