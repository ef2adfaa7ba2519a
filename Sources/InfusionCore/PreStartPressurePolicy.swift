/// The blood pressure above which `start` needs an override with a reason (`core.preStartBloodPressure`).
/// [V] the esketamine REMS anchor: as a general guide, a pre-dose pressure above 140/90 mmHg calls for a
/// benefit–risk decision on whether to delay (docs/CLINICAL-BASIS.md §8.3). Either bound may be null to
/// turn it off.
public struct PreStartPressurePolicy: Hashable, Sendable, Codable {
    /// Systolic pressure above which start needs an override, mmHg: 140.
    public var systolicAbove: Double?
    /// Diastolic pressure above which start needs an override, mmHg: 90.
    public var diastolicAbove: Double?

    public init(systolicAbove: Double? = 140, diastolicAbove: Double? = 90) {
        self.systolicAbove = systolicAbove
        self.diastolicAbove = diastolicAbove
    }

    enum CodingKeys: String, CodingKey {
        case systolicAbove, diastolicAbove
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = PreStartPressurePolicy()
        systolicAbove = try c.decodeBound(.systolicAbove, overriding: base.systolicAbove)
        diastolicAbove = try c.decodeBound(.diastolicAbove, overriding: base.diastolicAbove)
    }
}

/// A start that went ahead above the pre-start pressure, with who confirmed it and why.
public struct PreStartPressureOverride: Hashable, Sendable, Codable {
    public var systolic: Double
    public var diastolic: Double?
    public var reason: String
    public var operatorID: String
    public var time: MonotonicInstant

    public init(systolic: Double, diastolic: Double?, reason: String, operatorID: String, time: MonotonicInstant) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.reason = reason
        self.operatorID = operatorID
        self.time = time
    }
}
