/// Turns trustworthy vital-sign readings into physiological alarm levels, applying each rule's
/// alarm-condition delay: a level exists only once its threshold has held, reading after reading,
/// for the rule's delay (IEC 60601-1-8, docs/CLINICAL-BASIS.md §3.2 "Delays").
///
/// Untrustworthy readings change nothing: they are missing data, which the stale-vitals condition
/// covers, not evidence that a condition ended.
struct VitalConditionTracker: Hashable, Sendable {
    private struct RuleState: Hashable, Sendable {
        var mediumSince: MonotonicInstant?
        var highSince: MonotonicInstant?
        /// Consecutive readings that met the high threshold (for the confirming cuff reading).
        var consecutiveHighReadings = 0
    }

    let rules: [VitalAlarmRule]
    private var states: ContiguousArray<RuleState>

    init(rules: [VitalAlarmRule]) {
        self.rules = rules
        self.states = ContiguousArray(repeating: RuleState(), count: rules.count)
    }

    /// Forgets every condition in progress: the next patient's delays start from their own readings.
    mutating func reset() {
        for i in states.indices { states[i] = RuleState() }
    }

    /// Feeds one reading to every rule that watches its parameter.
    mutating func observe(_ vital: VitalSign) {
        guard let value = vital.trustworthyValue, value.isFinite else { return }
        for i in rules.indices where rules[i].parameters.contains(vital.parameter) {
            let rule = rules[i]
            let meetsHigh = rule.high.map { $0.comparison.isMet(by: value, limit: $0.limit) } ?? false
            let meetsMedium = rule.medium.map { $0.comparison.isMet(by: value, limit: $0.limit) } ?? false
            states[i].highSince = meetsHigh ? (states[i].highSince ?? vital.time) : nil
            // A high reading also counts towards medium so that a high level never hides a medium one.
            states[i].mediumSince = (meetsMedium || meetsHigh) ? (states[i].mediumSince ?? vital.time) : nil
            states[i].consecutiveHighReadings = meetsHigh ? states[i].consecutiveHighReadings + 1 : 0
        }
    }

    /// The level of rule `index` at `now`: the highest level whose threshold has held for its delay.
    func level(ofRule index: Int, at now: MonotonicInstant) -> AlarmPriority? {
        let rule = rules[index]
        let state = states[index]
        if let high = rule.high, let since = state.highSince, now - since >= .configured(seconds: high.delaySeconds) {
            return .high
        }
        if let medium = rule.medium, let since = state.mediumSince,
            now - since >= .configured(seconds: medium.delaySeconds)
        {
            return .medium
        }
        return nil
    }

    /// Consecutive readings that met the high threshold of `condition`'s rule.
    func consecutiveHighReadings(for condition: AlarmCondition) -> Int {
        var count = 0
        for i in rules.indices where rules[i].condition == condition {
            count = max(count, states[i].consecutiveHighReadings)
        }
        return count
    }
}
