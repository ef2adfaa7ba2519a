/// One vital sign of a chair as `status` shows it: the latest reading of one parameter since the
/// patient was taken in, as the monitor sent it, with where it comes from and how old it is.
/// docs/PROTOCOL.md describes each field.
public struct ChairVital: Codable, Sendable, Hashable {
    /// The parameter, as in `vital` events (`spo2`, `pulseRate`, `ecgHeartRate`, `nibpSystolic`, ...).
    public var parameter: String
    /// The instrument it comes from: `ecg`, `pleth`, `cuff` or `respiration`.
    public var source: String
    /// The value as sent; absent when the monitor sent no number.
    public var value: Double?
    /// The value's unit in UCUM (`%`, `/min`, `mm[Hg]`).
    public var unit: String
    /// Why the value may not be trusted (`sensorOff`, `artefact`, ...); empty when it may.
    public var flags: [String]
    /// False when a flag makes the value unusable: the core treats it as missing, and so must a display.
    public var trustworthy: Bool
    /// When it was measured (receipt, or earlier when the monitor dates it).
    public var measuredAt: WireTimestamp
    /// As of the chair's `time`: seconds since it was measured.
    public var ageSeconds: Double?
    /// The oldest it may be and still count as current (the age the core alarms on); absent when none applies.
    public var maximumAgeSeconds: Double?
    /// As of the chair's `time`: older than `maximumAgeSeconds`. A stale value must not be shown as current.
    public var stale: Bool?

    public init(
        parameter: String, source: String, value: Double?, unit: String, flags: [String], trustworthy: Bool,
        measuredAt: WireTimestamp, ageSeconds: Double? = nil, maximumAgeSeconds: Double? = nil, stale: Bool? = nil
    ) {
        self.parameter = parameter
        self.source = source
        self.value = value
        self.unit = unit
        self.flags = flags
        self.trustworthy = trustworthy
        self.measuredAt = measuredAt
        self.ageSeconds = ageSeconds
        self.maximumAgeSeconds = maximumAgeSeconds
        self.stale = stale
    }
}
