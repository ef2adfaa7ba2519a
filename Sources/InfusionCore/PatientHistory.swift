/// What the audit store knows of a patient's earlier sessions, handed to intake by the shell so the core can
/// hold the intake against the profile's ``SeriesLimits`` without reading anything itself.
///
/// Times are wall-clock seconds since the Unix epoch, `asOf` included: sessions lie days apart, across restarts
/// and reboots, where the monotonic clock the core otherwise uses does not reach. The shell injects `asOf`, so
/// the check is as pure as every other decision of the core.
public struct PatientHistory: Hashable, Sendable, Codable {
    /// The wall-clock time of the intake being checked.
    public var asOf: Double
    /// The patient's earlier sessions whose infusion started, in any order. A session taken in but never
    /// started gave no drug and does not count.
    public var sessions: [PastSession]

    public init(asOf: Double, sessions: [PastSession]) {
        self.asOf = asOf
        self.sessions = sessions
    }

    /// The session whose infusion started last, if any.
    public var latest: PastSession? { sessions.max { $0.startedAt < $1.startedAt } }
}

/// One earlier session of the patient, as far as the cross-session limits need it.
public struct PastSession: Hashable, Sendable, Codable {
    /// When its infusion started, in wall-clock seconds since the Unix epoch.
    public var startedAt: Double
    /// Its dosing weight.
    public var weight: Kilograms
    /// The library entry it ran under.
    public var profileID: String

    public init(startedAt: Double, weight: Kilograms, profileID: String) {
        self.startedAt = startedAt
        self.weight = weight
        self.profileID = profileID
    }
}
