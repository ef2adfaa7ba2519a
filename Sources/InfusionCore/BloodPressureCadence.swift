/// How often a cuff pressure is expected, and when a missing one is an alarm (docs/CLINICAL-BASIS.md §1.6 [D]: NIBP
/// every 5 min by default, 10 min the slowest setting; a pressure older than 1.5 × the cycle is stale and a
/// MEDIUM technical alarm, `bloodPressureOverdue`).
public struct BloodPressureCadence: Hashable, Sendable, Codable {
    /// The cuff cycle the monitor is set to, in seconds. Nil turns the overdue alarm off (for example a site
    /// whose monitor has no cuff).
    public var cycleSeconds: Double?
    /// A pressure older than this many cycles is overdue.
    public var overdueAfterCycles: Double

    public init(cycleSeconds: Double? = 300, overdueAfterCycles: Double = 1.5) {
        self.cycleSeconds = cycleSeconds
        self.overdueAfterCycles = overdueAfterCycles
    }

    enum CodingKeys: String, CodingKey {
        case cycleSeconds, overdueAfterCycles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = BloodPressureCadence()
        if c.contains(.cycleSeconds), try c.decodeNil(forKey: .cycleSeconds) {
            cycleSeconds = nil
        } else {
            cycleSeconds = try c.decode(.cycleSeconds, default: base.cycleSeconds)
        }
        overdueAfterCycles = try c.decode(.overdueAfterCycles, default: base.overdueAfterCycles)
    }

    /// The age past which the last cuff pressure is overdue; nil when the alarm is off.
    var overdueAge: Duration? {
        cycleSeconds.map { .configured(seconds: $0 * overdueAfterCycles) }
    }
}
