/// Turns trustworthy vital-sign readings into physiological alarm levels, applying each rule's
/// alarm-condition delay: a level exists only once its threshold has held, reading after reading,
/// for the rule's delay (IEC 60601-1-8, docs/CLINICAL-BASIS.md §3.2 "Delays").
///
/// Each source of a rule (each of its `parameters`, e.g. ECG heart rate and pleth pulse rate) is
/// tracked on its own, with its own delay, and the rule's level is the worst of its sources: one
/// source's normal reading never restarts another source's delay, so an ECG at 140 /min alternating
/// with a pleth at 95 /min still raises `heartRateHigh`. Which sources may alarm is the rule's
/// `parameters` list (configuration).
///
/// Untrustworthy readings change nothing: they are missing data, which the stale-vitals condition
/// covers, not evidence that a condition ended.
struct VitalConditionTracker: Hashable, Sendable {
    private struct SourceState: Hashable, Sendable {
        var mediumSince: MonotonicInstant?
        var highSince: MonotonicInstant?
        /// Consecutive readings that met the high threshold (for the confirming cuff reading).
        var consecutiveHighReadings = 0
    }

    let rules: [VitalAlarmRule]
    /// One state per rule and source, rule after rule; `firstSource[i]` is where rule `i`'s begin.
    private var states: ContiguousArray<SourceState>
    private let firstSource: [Int]

    init(rules: [VitalAlarmRule]) {
        self.rules = rules
        var offsets: [Int] = []
        var count = 0
        for rule in rules {
            offsets.append(count)
            count += rule.parameters.count
        }
        self.firstSource = offsets
        self.states = ContiguousArray(repeating: SourceState(), count: count)
    }

    /// Forgets every condition in progress: the next patient's delays start from their own readings.
    mutating func reset() {
        for i in states.indices { states[i] = SourceState() }
    }

    /// Feeds one reading to every rule that watches its parameter, as that rule's source.
    mutating func observe(_ vital: VitalSign) {
        guard let value = vital.trustworthyValue, value.isFinite else { return }
        for i in rules.indices {
            guard let source = rules[i].parameters.firstIndex(of: vital.parameter) else { continue }
            let rule = rules[i]
            let s = firstSource[i] + source
            let meetsHigh = rule.high.map { $0.comparison.isMet(by: value, limit: $0.limit) } ?? false
            let meetsMedium = rule.medium.map { $0.comparison.isMet(by: value, limit: $0.limit) } ?? false
            states[s].highSince = meetsHigh ? (states[s].highSince ?? vital.time) : nil
            // A high reading also counts towards medium so that a high level never hides a medium one.
            states[s].mediumSince = (meetsMedium || meetsHigh) ? (states[s].mediumSince ?? vital.time) : nil
            states[s].consecutiveHighReadings = meetsHigh ? states[s].consecutiveHighReadings + 1 : 0
        }
    }

    /// The level of rule `index` at `now`: the highest level any of its sources has held for its delay.
    func level(ofRule index: Int, at now: MonotonicInstant) -> AlarmPriority? {
        let rule = rules[index]
        var level: AlarmPriority?
        for s in firstSource[index]..<(firstSource[index] + rule.parameters.count) {
            let state = states[s]
            if let high = rule.high, let since = state.highSince, now - since >= .configured(seconds: high.delaySeconds) {
                return .high
            }
            if let medium = rule.medium, let since = state.mediumSince,
                now - since >= .configured(seconds: medium.delaySeconds)
            {
                level = .medium
            }
        }
        return level
    }

    /// Consecutive readings that met the high threshold of `condition`'s rule, from its most persistent source.
    func consecutiveHighReadings(for condition: AlarmCondition) -> Int {
        var count = 0
        for i in rules.indices where rules[i].condition == condition {
            for s in firstSource[i]..<(firstSource[i] + rules[i].parameters.count) {
                count = max(count, states[s].consecutiveHighReadings)
            }
        }
        return count
    }
}
