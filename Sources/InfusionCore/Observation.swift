/// The nurse's scores of the patient at one moment: `{"scores": {"moaas": 5, "nausea": 1}, "note": "..."}`.
public struct ObservationRequest: Hashable, Sendable, Codable {
    /// Score per scale id (`core.observationScales`).
    public var scores: [String: Int]
    /// What the nurse adds in words; kept with the observation event, not with the latest scores.
    public var note: String?

    public init(scores: [String: Int], note: String? = nil) {
        self.scores = scores
        self.note = note
    }
}

/// The latest score of one scale at a chair, kept in the session (and so in its checkpoint).
public struct RecordedObservation: Hashable, Sendable, Codable {
    public var value: Int
    /// When it was observed (the instant the core accepted it).
    public var time: MonotonicInstant
    /// Who observed it; nil for a score the core derived without an operator.
    public var operatorID: String?

    public init(value: Int, time: MonotonicInstant, operatorID: String?) {
        self.value = value
        self.time = time
        self.operatorID = operatorID
    }
}

/// One score of an observation event.
public struct ObservationScore: Hashable, Sendable, Codable {
    public var scale: String
    public var value: Int

    public init(scale: String, value: Int) {
        self.scale = scale
        self.value = value
    }
}

/// An observation was recorded: published and audited by the shell.
public struct ObservationEvent: Hashable, Sendable, Codable {
    /// The scores, in scale-id order.
    public var scores: [ObservationScore]
    public var note: String?
    public var operatorID: String
    public var time: MonotonicInstant

    public init(scores: [ObservationScore], note: String?, operatorID: String, time: MonotonicInstant) {
        self.scores = scores
        self.note = note
        self.operatorID = operatorID
        self.time = time
    }
}

/// A scheduled observation that is due now.
public struct DueObservation: Hashable, Sendable, Codable {
    public var scale: String
    /// When it fell due.
    public var since: MonotonicInstant

    public init(scale: String, since: MonotonicInstant) {
        self.scale = scale
        self.since = since
    }
}

/// What status shows of the nurse's part: the observations due and, in recovery and discharge-ready, the
/// discharge criteria still missing. Published whenever either set changes (a criterion's sentence, such as
/// the observation time left, is as of the event).
public struct ObservationStatus: Hashable, Sendable, Codable {
    public var due: [DueObservation]
    /// Nil outside recovery and discharge-ready; empty when ready.
    public var missingDischargeCriteria: [MissingDischargeCriterion]?
    public var time: MonotonicInstant
}
