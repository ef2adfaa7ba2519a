package import InfusionCore

/// What `status` shows of one chair, kept current by the output dispatcher from the core's events
/// (never by reading the control thread's state).
package struct ChairSnapshot: Sendable, Codable, Hashable {
    package var id: String
    package var state: SessionState = .idle
    package var flowMillilitresPerHour: Double = 0
    package var doseRate: DoseRate?
    package var deliveredMilligrams: Double = 0
    package var predictedConcentration: Double?
    /// Active alarm conditions with their priority, e.g. `systolicHigh: high`.
    package var alarms: [String: AlarmPriority] = [:]

    package init(id: String) {
        self.id = id
    }

    /// Folds one core event into the snapshot.
    package mutating func apply(_ event: CoreEvent) {
        switch event {
        case .session(let transition):
            state = transition.to
        case .delivery(let report):
            flowMillilitresPerHour = report.flow.value
            doseRate = report.doseRate
            deliveredMilligrams = report.deliveredDose.value
            predictedConcentration = report.predictedConcentration
        case .alarm(let alarm):
            if alarm.transition == .cleared {
                alarms.removeValue(forKey: alarm.condition.rawValue)
            } else {
                alarms[alarm.condition.rawValue] = alarm.priority
            }
        case .audioPause, .limit, .interlock, .restart:
            break
        }
    }
}
