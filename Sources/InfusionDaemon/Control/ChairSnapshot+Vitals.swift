package import InfusionCore

extension ChairSnapshot {
    /// Takes one reading from the chair's monitor as the bridge hands it to the core, flagged or not,
    /// so `status` shows what the monitor last said of each parameter. A reading measured before
    /// intake is the previous patient's and is ignored, as the core ignores it (`ChairCore.receive`);
    /// one measured before the parameter's shown reading does not replace it.
    package mutating func record(_ vital: VitalSign) {
        if let takenInAt, vital.time < takenInAt { return }
        if let index = vitals.firstIndex(where: { $0.parameter == vital.parameter }) {
            guard vitals[index].time <= vital.time else { return }
            vitals[index] = vital
        } else {
            vitals.append(vital)
            vitals.sort { Self.order(of: $0.parameter) < Self.order(of: $1.parameter) }
        }
    }

    /// Intake at `time`: the previous patient's readings go, as the core forgets them.
    mutating func forgetVitals(before time: MonotonicInstant) {
        takenInAt = time
        vitals.removeAll { $0.time < time }
    }

    private static func order(of parameter: VitalParameter) -> Int {
        VitalParameter.allCases.firstIndex(of: parameter) ?? VitalParameter.allCases.count
    }
}
