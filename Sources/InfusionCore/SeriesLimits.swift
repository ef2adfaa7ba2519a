/// Limits across a patient's sessions, checked at intake against what the audit store knows of the patient's
/// earlier sessions (docs/CLINICAL-BASIS.md §8.9). Each is a ``LimitBand``: a soft bound prompts and passes with a
/// confirmation and a reason, a hard bound never yields; a nil bound is no limit.
///
/// Decoding is lenient like the profile's: a missing field keeps the built-in entry's value, and a band given
/// in part keeps the built-in's other bounds (`null` removes one).
public struct SeriesLimits: Hashable, Sendable, Codable {
    /// Hours from the start of the patient's last infusion to this intake (minimum bounds).
    public var intervalHours: LimitBand
    /// Sessions whose infusion started within the last `windowDays`, counting the one being taken in
    /// (maximum bounds).
    public var sessionsInWindow: LimitBand
    /// The length of the rolling window `sessionsInWindow` counts in, in days.
    public var windowDays: Double
    /// How far the dosing weight may differ from the last session's, as a fraction of that weight
    /// (maximum bounds): past a soft bound the nurse confirms the weight with a reason.
    public var weightChangeFraction: LimitBand

    public init(intervalHours: LimitBand, sessionsInWindow: LimitBand, windowDays: Double, weightChangeFraction: LimitBand) {
        self.intervalHours = intervalHours
        self.sessionsInWindow = sessionsInWindow
        self.windowDays = windowDays
        self.weightChangeFraction = weightChangeFraction
    }

    /// No cross-session limit at all.
    public static let unlimited = SeriesLimits(
        intervalHours: .unlimited, sessionsInWindow: .unlimited, windowDays: 0, weightChangeFraction: .unlimited)

    enum CodingKeys: String, CodingKey {
        case intervalHours, sessionsInWindow, windowDays, weightChangeFraction
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self = try c.decodeAllSeriesLimits(overriding: .unlimited)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeExplicitly(intervalHours, forKey: .intervalHours)
        try c.encodeExplicitly(sessionsInWindow, forKey: .sessionsInWindow)
        try c.encode(windowDays, forKey: .windowDays)
        try c.encodeExplicitly(weightChangeFraction, forKey: .weightChangeFraction)
    }

    /// Problems that make the limits unusable.
    var inconsistencies: [String] {
        var problems: [String] = []
        for (name, band) in [
            ("intervalHours", intervalHours), ("sessionsInWindow", sessionsInWindow),
            ("weightChangeFraction", weightChangeFraction),
        ] {
            for problem in band.inconsistencies { problems.append("seriesLimits.\(name): \(problem)") }
        }
        let windowed = sessionsInWindow.softMaximum != nil || sessionsInWindow.hardMaximum != nil
        if windowed && !(windowDays.isFinite && windowDays > 0) {
            problems.append("seriesLimits.windowDays must be a positive number of days when sessionsInWindow is limited")
        }
        return problems
    }
}

extension KeyedDecodingContainer where Key == SeriesLimits.CodingKeys {
    /// The limits this container gives, each missing field or bound kept from `base`.
    func decodeAllSeriesLimits(overriding base: SeriesLimits) throws -> SeriesLimits {
        SeriesLimits(
            intervalHours: try decodeBand(.intervalHours, overriding: base.intervalHours),
            sessionsInWindow: try decodeBand(.sessionsInWindow, overriding: base.sessionsInWindow),
            windowDays: try decode(.windowDays, default: base.windowDays),
            weightChangeFraction: try decodeBand(.weightChangeFraction, overriding: base.weightChangeFraction))
    }
}

extension KeyedDecodingContainer {
    /// The profile's `key` as series limits over `base`: absent keeps `base` whole.
    func decodeSeriesLimits(_ key: Key, overriding base: SeriesLimits) throws -> SeriesLimits {
        guard contains(key) else { return base }
        return try nestedContainer(keyedBy: SeriesLimits.CodingKeys.self, forKey: key).decodeAllSeriesLimits(overriding: base)
    }
}
