/// Limits on raising the rate of a running infusion (docs/CLINICAL-BASIS.md §6.3, "Out-of-limit change" [D]:
/// up-titration steps of at most 25 % of the current rate or 0.25 mg/kg/h, and at least 5 minutes
/// between increases).
///
/// Both limits are soft: a clinician may go past them with a confirmation and a reason, as with any
/// soft limit, and the rate's own limits still apply in full. Lowering a rate is never limited, so a
/// nurse can always slow a patient whose vitals drift.
public struct TitrationLimits: Hashable, Sendable, Codable {
    /// The largest increase per step as a fraction of the current rate (0.25 is 25 %); nil: no such bound.
    public var maximumStepFraction: Double?
    /// The largest increase per step in mg/kg/h; nil: no such bound.
    public var maximumStepDoseRate: Double?
    /// The shortest time between two accepted increases, in seconds; nil: no such bound.
    public var minimumSecondsBetweenIncreases: Double?

    public init(maximumStepFraction: Double?, maximumStepDoseRate: Double?, minimumSecondsBetweenIncreases: Double?) {
        self.maximumStepFraction = maximumStepFraction
        self.maximumStepDoseRate = maximumStepDoseRate
        self.minimumSecondsBetweenIncreases = minimumSecondsBetweenIncreases
    }

    enum CodingKeys: String, CodingKey {
        case maximumStepFraction, maximumStepDoseRate, minimumSecondsBetweenIncreases
    }

    /// Writes `null` for an absent bound, for the same reason as `LimitBand`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maximumStepFraction, forKey: .maximumStepFraction)
        try c.encode(maximumStepDoseRate, forKey: .maximumStepDoseRate)
        try c.encode(minimumSecondsBetweenIncreases, forKey: .minimumSecondsBetweenIncreases)
    }

    /// The largest increase from `current` mg/kg/h that needs no override, nil when steps are not bounded.
    /// §6.3 states the step as "≤ 25 % of current rate or ≤ 0.25 mg/kg/h": a step within either bound is
    /// within the limit, so the larger bound applies. That keeps small rates adjustable (25 % of
    /// 0.2 mg/kg/h would be a 0.05 step) while large rates move by at most a quarter.
    public func allowedIncrease(from current: Double) -> Double? {
        let bounds = [maximumStepFraction.map { $0 * max(0, current) }, maximumStepDoseRate].compactMap { $0 }
        return bounds.max()
    }

    /// Problems that make the limits meaningless.
    var inconsistencies: [String] {
        let values = [
            ("maximumStepFraction", maximumStepFraction), ("maximumStepDoseRate", maximumStepDoseRate),
            ("minimumSecondsBetweenIncreases", minimumSecondsBetweenIncreases),
        ]
        return values.compactMap { name, value in
            guard let value, !(value.isFinite && value >= 0) else { return nil }
            return "\(name) must be a finite number ≥ 0"
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes titration limits that override `base` field by field, as `decodeBand` does for a band:
    /// a missing field keeps the base value, an explicit JSON null removes that bound.
    func decodeTitration(_ key: Key, overriding base: TitrationLimits) throws -> TitrationLimits {
        guard contains(key) else { return base }
        let nested = try nestedContainer(keyedBy: TitrationLimits.CodingKeys.self, forKey: key)
        return TitrationLimits(
            maximumStepFraction: try nested.decodeBound(.maximumStepFraction, overriding: base.maximumStepFraction),
            maximumStepDoseRate: try nested.decodeBound(.maximumStepDoseRate, overriding: base.maximumStepDoseRate),
            minimumSecondsBetweenIncreases: try nested.decodeBound(
                .minimumSecondsBetweenIncreases, overriding: base.minimumSecondsBetweenIncreases)
        )
    }
}
