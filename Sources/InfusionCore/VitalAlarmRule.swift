/// How a reading is compared with a threshold.
public enum ThresholdComparison: String, Hashable, Sendable, Codable {
    case atOrAbove
    case above
    case atOrBelow
    case below

    func isMet(by value: Double, limit: Double) -> Bool {
        switch self {
        case .atOrAbove: value >= limit
        case .above: value > limit
        case .atOrBelow: value <= limit
        case .below: value < limit
        }
    }
}

/// One level of a vital-sign alarm: the threshold and the alarm-condition delay for which it must
/// hold continuously before the condition exists (IEC 60601-1-8 "alarm condition delay", §3.2).
public struct VitalThreshold: Hashable, Sendable, Codable {
    public var comparison: ThresholdComparison
    public var limit: Double
    /// Seconds the threshold must hold; 0 for intermittent cuff readings, which are single measurements.
    public var delaySeconds: Double

    public init(_ comparison: ThresholdComparison, _ limit: Double, delaySeconds: Double = 0) {
        self.comparison = comparison
        self.limit = limit
        self.delaySeconds = delaySeconds
    }
}

/// A physiological alarm condition defined on one or more vital-sign parameters, with optional
/// medium and high levels. Each of `parameters` is a source evaluated on its own, with its own
/// condition delay; the condition takes the worst level of its sources. Listing a parameter is what
/// lets it alarm: `heartRateHigh` on `[ecgHeartRate]` alone ignores the pleth pulse rate.
public struct VitalAlarmRule: Hashable, Sendable, Codable {
    public var condition: AlarmCondition
    public var parameters: [VitalParameter]
    public var medium: VitalThreshold?
    public var high: VitalThreshold?

    public init(
        condition: AlarmCondition,
        parameters: [VitalParameter],
        medium: VitalThreshold? = nil,
        high: VitalThreshold? = nil
    ) {
        self.condition = condition
        self.parameters = parameters
        self.medium = medium
        self.high = high
    }

    /// The default rules. Numbers: docs/CLINICAL-BASIS.md §0 row 17 and §1.7 [D]; delays: §1.7 (SpO2 15–20 s,
    /// HR 10 s); cuff pressures have no delay because each is one discrete measurement.
    public static let defaults: [VitalAlarmRule] = [
        // SpO2 ≤ 92 % for ≥ 15 s medium; < 90 % for ≥ 20 s high (§1.7).
        VitalAlarmRule(
            condition: .spo2Low, parameters: [.spo2],
            medium: VitalThreshold(.atOrBelow, 92, delaySeconds: 15),
            high: VitalThreshold(.below, 90, delaySeconds: 20)
        ),
        // SBP ≥ 160 medium, ≥ 180 high (row 17).
        VitalAlarmRule(
            condition: .systolicHigh, parameters: [.nibpSystolic],
            medium: VitalThreshold(.atOrAbove, 160), high: VitalThreshold(.atOrAbove, 180)
        ),
        // SBP < 90 is an ED stop rule (row 15); used here as a medium advisory.
        VitalAlarmRule(condition: .systolicLow, parameters: [.nibpSystolic], medium: VitalThreshold(.below, 90)),
        // DBP ≥ 100 medium, ≥ 110 high (row 17).
        VitalAlarmRule(
            condition: .diastolicHigh, parameters: [.nibpDiastolic],
            medium: VitalThreshold(.atOrAbove, 100), high: VitalThreshold(.atOrAbove, 110)
        ),
        // No source in docs/CLINICAL-BASIS.md gives a low diastolic threshold (§1.7): present but disabled
        // until configured.
        VitalAlarmRule(condition: .diastolicLow, parameters: [.nibpDiastolic]),
        // HR ≥ 110 medium, ≥ 130 high (row 17), 10 s delay (§1.7); ECG and pleth each alarm on their own.
        VitalAlarmRule(
            condition: .heartRateHigh, parameters: [.ecgHeartRate, .pulseRate],
            medium: VitalThreshold(.atOrAbove, 110, delaySeconds: 10),
            high: VitalThreshold(.atOrAbove, 130, delaySeconds: 10)
        ),
        // HR ≤ 50 medium (row 17), ≤ 45 high (§1.7), 10 s delay.
        VitalAlarmRule(
            condition: .heartRateLow, parameters: [.ecgHeartRate, .pulseRate],
            medium: VitalThreshold(.atOrBelow, 50, delaySeconds: 10),
            high: VitalThreshold(.atOrBelow, 45, delaySeconds: 10)
        ),
        // A trustworthy rate of zero from ECG or oximeter: asystole / no pulse (§1.7), 10 s delay.
        VitalAlarmRule(
            condition: .noPulse, parameters: [.ecgHeartRate, .pulseRate],
            high: VitalThreshold(.atOrBelow, 0, delaySeconds: 10)
        ),
    ]
}
