/// When a drug-library entry wants the nurse to observe the patient, and which scores discharge needs
/// (docs/CLINICAL-BASIS.md §8.8). An observation past due raises `observationDue`, a low-priority reminder
/// that clears when the observation is recorded.
///
/// In a drug profile's JSON each field left out keeps the built-in entry's value.
public struct ObservationSchedule: Hashable, Sendable, Codable {
    /// The observations due, each in one phase of the session.
    public var rules: [ObservationRule]
    /// Scores discharge readiness needs, read from the latest observation of each scale since the
    /// infusion ended.
    public var dischargeScores: [DischargeScore]

    public init(rules: [ObservationRule] = [], dischargeScores: [DischargeScore] = []) {
        self.rules = rules
        self.dischargeScores = dischargeScores
    }

    /// No observation scheduled and no score required.
    public static let none = ObservationSchedule()

    /// Problems that make the schedule unusable with `scales`, each prefixed with `owner`.
    func inconsistencies(owner: String, scales: [ObservationScale]) -> [String] {
        var problems: [String] = []
        func scale(_ id: String) -> ObservationScale? {
            guard let scale = scales.first(where: { $0.id == id }) else {
                problems.append("\(owner): no observation scale \(id)")
                return nil
            }
            return scale
        }
        for rule in rules {
            if rule.scales.isEmpty { problems.append("\(owner): an observation rule names no scale") }
            for id in rule.scales { _ = scale(id) }
            if !(rule.firstAfterSeconds >= 0) { problems.append("\(owner): firstAfterSeconds must not be negative") }
            if let every = rule.everySeconds, !(every > 0) { problems.append("\(owner): everySeconds must be positive") }
        }
        for score in dischargeScores {
            guard let scale = scale(score.scale) else { continue }
            if score.minimum == nil && score.maximum == nil {
                problems.append("\(owner): discharge score \(score.scale) has neither minimum nor maximum")
            }
            for bound in [score.minimum, score.maximum].compactMap({ $0 }) where !scale.accepts(bound) {
                problems.append("\(owner): discharge score \(score.scale) bound \(bound) is outside \(scale.minimum)...\(scale.maximum)")
            }
        }
        return problems
    }
}

/// One scheduled observation: the scales due in one phase of the session, first `firstAfterSeconds` after
/// the phase begins, then (with `everySeconds`) that long after each observation of the scale.
///
/// Only observations made since the phase began count, so a baseline taken before the start does not
/// satisfy a rule of the infusion. A rule without `everySeconds` is due once per phase.
public struct ObservationRule: Hashable, Sendable, Codable {
    /// The part of the session a rule runs in.
    public enum Phase: String, Hashable, Sendable, Codable {
        /// From intake until the infusion starts.
        case beforeInfusion
        /// From the start of the infusion to its end (pauses included: the drug still acts).
        case infusion
        /// From the end of the infusion until discharge.
        case afterInfusion
    }

    /// Scale ids (`core.observationScales`), each due on its own.
    public var scales: [String]
    public var phase: Phase
    /// When the first observation is due, after the phase began.
    public var firstAfterSeconds: Double
    /// When each next one is due, after the previous; nil: once per phase.
    public var everySeconds: Double?

    public init(scales: [String], phase: Phase, firstAfterSeconds: Double, everySeconds: Double? = nil) {
        self.scales = scales
        self.phase = phase
        self.firstAfterSeconds = firstAfterSeconds
        self.everySeconds = everySeconds
    }

    enum CodingKeys: String, CodingKey {
        case scales, phase, firstAfterSeconds, everySeconds
    }

    /// A rule that leaves out `firstAfterSeconds` is first due one interval into its phase (at once for a
    /// rule due once).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scales = try c.decode([String].self, forKey: .scales)
        phase = try c.decode(Phase.self, forKey: .phase)
        everySeconds = try c.decodeIfPresent(Double.self, forKey: .everySeconds)
        firstAfterSeconds = try c.decode(.firstAfterSeconds, default: everySeconds ?? 0)
    }
}

/// A score discharge readiness needs: the latest observation of `scale` since the infusion ended lies
/// within `minimum`...`maximum` (a missing bound does not limit).
public struct DischargeScore: Hashable, Sendable, Codable {
    public var scale: String
    public var minimum: Int?
    public var maximum: Int?

    public init(scale: String, minimum: Int? = nil, maximum: Int? = nil) {
        self.scale = scale
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether `value` meets the criterion.
    public func isMet(by value: Int) -> Bool {
        (minimum.map { value >= $0 } ?? true) && (maximum.map { value <= $0 } ?? true)
    }

    /// The wanted score in words: "at least 5", "at most 1", "5 to 5".
    public var wanted: String {
        switch (minimum, maximum) {
        case (let low?, let high?): low == high ? "\(low)" : "\(low) to \(high)"
        case (let low?, nil): "at least \(low)"
        case (nil, let high?): "at most \(high)"
        case (nil, nil): "any score"
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a schedule that overrides `base` field by field: a missing field keeps the base's value.
    func decodeSchedule(_ key: Key, overriding base: ObservationSchedule) throws -> ObservationSchedule {
        guard contains(key) else { return base }
        let nested = try nestedContainer(keyedBy: ObservationSchedule.CodingKeys.self, forKey: key)
        return ObservationSchedule(
            rules: try nested.decode(.rules, default: base.rules),
            dischargeScores: try nested.decode(.dischargeScores, default: base.dischargeScores))
    }
}

extension ObservationSchedule {
    enum CodingKeys: String, CodingKey {
        case rules, dischargeScores
    }

    /// Reads a schedule on its own, each field absent meaning none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decode(.rules, default: [])
        dischargeScores = try c.decode(.dischargeScores, default: [])
    }
}
