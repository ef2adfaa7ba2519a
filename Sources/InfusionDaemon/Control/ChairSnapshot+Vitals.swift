package import InfusionCore
internal import WireProtocol

extension ChairSnapshot {
    /// Takes one reading from the chair's monitor as the bridge hands it to the core, flagged or not,
    /// so `status` shows what the monitor last said of each parameter. A reading measured before
    /// intake is the previous patient's and is ignored, as the core ignores it (`ChairCore.receive`);
    /// one measured before the parameter's shown reading does not replace it.
    package mutating func record(_ vital: VitalSign) {
        if let takenInAt, vital.time < takenInAt { return }
        let entry = ChairVital(vital)
        if let index = vitals.firstIndex(where: { $0.parameter == entry.parameter }) {
            guard vitals[index].measuredAt.nanoseconds <= entry.measuredAt.nanoseconds else { return }
            vitals[index] = entry
        } else {
            vitals.append(entry)
            vitals.sort { Self.order(of: $0.parameter) < Self.order(of: $1.parameter) }
        }
    }

    /// Intake at `time`: the previous patient's readings go, as the core forgets them.
    mutating func forgetVitals(before time: MonotonicInstant) {
        takenInAt = time
        vitals.removeAll { $0.measuredAt.nanoseconds < time.nanoseconds }
    }

    private static func order(of parameter: String) -> Int {
        VitalParameter.allCases.firstIndex { $0.rawValue == parameter } ?? VitalParameter.allCases.count
    }
}

extension ChairVital {
    /// The wire entry of one reading, without its "as of" fields.
    init(_ vital: VitalSign) {
        self.init(
            parameter: vital.parameter.rawValue, source: vital.parameter.source.rawValue, value: vital.value,
            unit: vital.parameter.unit.ucum, flags: VitalSignFlags.named.filter { vital.flags.contains($0.flag) }.map(\.name),
            trustworthy: vital.trustworthyValue != nil, measuredAt: WireInstant(nanoseconds: vital.time.nanoseconds))
    }

    /// The entry with its age at `now`, the parameter's maximum age and whether it is past it.
    func observed(at now: MonotonicInstant, freshness: VitalFreshness) -> ChairVital {
        var copy = self
        let age = max(Double(now.nanoseconds - measuredAt.nanoseconds) / 1e9, 0)
        copy.ageSeconds = age
        let maximum = VitalParameter(rawValue: parameter).flatMap(freshness.maximumAge(of:))?.secondsDouble
        copy.maximumAgeSeconds = maximum
        copy.stale = maximum.map { age > $0 }
        return copy
    }
}
