/// One discharge criterion a patient in recovery does not meet yet (docs/CLINICAL-BASIS.md §1.8, §8.7).
public struct MissingDischargeCriterion: Hashable, Sendable, Codable {
    /// Which criterion.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The pump has not confirmed that it stopped (delivery is uncertain).
        case pumpStopped
        /// Less than `recovery.minimumObservationSeconds` since the infusion ended.
        case observationTime
        /// The latest post-infusion cuff pressures are not back within tolerance of the baseline.
        case bloodPressure
        /// A scale's latest score since the infusion ended is missing or outside what discharge needs: the
        /// modified Aldrete score (`recovery.aldreteThreshold`) or one of the profile's `dischargeScores`.
        case score
        /// An alarm is active or latched (an observation due is one).
        case alarms
    }

    public var kind: Kind
    /// The scale of a `score` criterion.
    public var scale: String?
    /// What is missing and what would meet it, for the operator.
    public var message: String

    public init(kind: Kind, scale: String? = nil, message: String) {
        self.kind = kind
        self.scale = scale
        self.message = message
    }

    /// A stable word for the criterion: the kind, and for a score its scale ("score:moaas").
    public var word: String {
        scale.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue
    }
}
