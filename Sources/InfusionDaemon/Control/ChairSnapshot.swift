package import InfusionCore

/// What `status` shows of one chair: the core's outward status as of its latest decision
/// (`OutwardChairStatus`, taken by the output dispatcher from the control loop), and the monitor's latest reading
/// of each parameter (taken by the bridge as it hands readings to the core, `record(_:)`). Nothing
/// here folds the core's events: the core alone decides what the chair is. `status(at:freshness:clock:)`
/// (ChairSnapshot+Wire.swift) maps it to the protocol's `ChairStatus` at one instant.
package struct ChairSnapshot: Sendable, Hashable {
    package var id: String
    /// The chair as the core last showed it; an idle chair until the control loop has decided anything.
    package private(set) var core: OutwardChairStatus
    /// The latest reading of each parameter since intake, as the monitor sent it (flagged or not), in
    /// `VitalParameter` order.
    package private(set) var vitals: [VitalSign] = []

    package init(id: String) {
        self.id = id
        core = ChairCore().outwardStatus
    }

    /// Takes the core's status after a decision, unless a newer one is already shown; an intake since the last
    /// one forgets the previous patient's readings, as the core forgets them.
    package mutating func update(_ status: OutwardChairStatus) {
        guard status.time >= core.time else { return }
        if let takenInAt = status.takenInAt, takenInAt != core.takenInAt { vitals.removeAll { $0.time < takenInAt } }
        core = status
    }

    /// How many alarms are active or latched, for summaries.
    package var alarmCount: Int { core.alarms.count }

    /// Takes one reading from the chair's monitor as the bridge hands it to the core, flagged or not,
    /// so `status` shows what the monitor last said of each parameter. A reading measured before
    /// intake is the previous patient's and is ignored, as the core ignores it (`ChairCore.receive`);
    /// one measured before the parameter's shown reading does not replace it.
    package mutating func record(_ vital: VitalSign) {
        if let takenInAt = core.takenInAt, vital.time < takenInAt { return }
        if let index = vitals.firstIndex(where: { $0.parameter == vital.parameter }) {
            guard vitals[index].time <= vital.time else { return }
            vitals[index] = vital
        } else {
            vitals.append(vital)
            vitals.sort { Self.order(of: $0.parameter) < Self.order(of: $1.parameter) }
        }
    }

    private static func order(of parameter: VitalParameter) -> Int {
        VitalParameter.allCases.firstIndex(of: parameter) ?? VitalParameter.allCases.count
    }
}
