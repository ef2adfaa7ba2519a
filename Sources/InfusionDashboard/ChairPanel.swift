import WireProtocol

/// One chair's state on the dashboard: the chair as the daemon's `status` shows it (the core's one model of the
/// chair, never refolded here from events), with the history of each vital from the `vital` events for the
/// sparklines and the pump's own read-back. Times are nanoseconds since the epoch, read from the protocol's
/// ISO 8601 times.
package struct ChairPanel: Sendable, Equatable {
    /// One active or latched alarm with its IEC 60601-1-8 inactivation state.
    package struct Alarm: Sendable, Equatable {
        package var condition: String
        package var priority: String
        package var acknowledged = false
        package var audioPaused = false
        package var latched = false
    }

    /// A vital sign's latest reading and its recent history.
    package struct Vital: Sendable, Equatable {
        /// The latest value, nil when the monitor sent none or flagged it untrustworthy.
        package var latest: Double?
        /// When the latest reading was measured (daemon time).
        package var time: Int64
        package var history: [(time: Int64, value: Double)] = []
        /// Why the latest reading is not usable (`sensorOff`, ...), as the daemon names the flags.
        package var flags: [String] = []
        /// The instrument it comes from (`ecg`, `pleth`, `cuff`), from the daemon's `status`.
        package var source: String?
        /// The oldest it may be and still be shown as current, from the daemon's `status`; nil when
        /// the daemon gives none.
        package var maximumAgeNanoseconds: Int64?

        /// Whether the latest reading is older than its maximum age at `now`: it must not be shown as current.
        package func isStale(at now: Int64) -> Bool {
            maximumAgeNanoseconds.map { now - time > $0 } ?? false
        }

        package static func == (lhs: Vital, rhs: Vital) -> Bool {
            lhs.latest == rhs.latest && lhs.time == rhs.time && lhs.history.map(\.value) == rhs.history.map(\.value)
                && lhs.flags == rhs.flags && lhs.source == rhs.source && lhs.maximumAgeNanoseconds == rhs.maximumAgeNanoseconds
        }
    }

    /// The nurse's latest score of one observation scale.
    package struct Observation: Sendable, Equatable {
        package var value: Int
        /// When it was observed (daemon time).
        package var time: Int64
    }

    /// An as-needed medication given at the chair.
    package struct Medication: Sendable, Equatable {
        package var drug: String
        package var dose: Double
        package var unit: String
        package var route: String
        /// When it was given (daemon time).
        package var time: Int64
    }

    /// A scheduled observation due since `since` (daemon time).
    package struct Due: Sendable, Equatable {
        package var scale: String
        package var since: Int64
    }

    package let id: String
    package var state = "unknown"
    /// When the patient now at the chair was taken in (daemon time); nil without one.
    package var takenInAt: Int64?
    /// The patient's identifier as entered at intake.
    package var patientID: String?
    package var profileID: String?
    package var drugName: String?
    package var weightKilograms: Double?
    package var concentration: Double?
    package var programmedMilligrams: Double?
    /// The profile's predicted-concentration limits (ng/mL).
    package var softConcentrationLimit: Double?
    package var hardConcentrationLimit: Double?
    package var flowMillilitresPerHour: Double?
    /// Why the pump has not confirmed what it delivers; nil when it has.
    /// While set, the flow is shown as unknown, never as the commanded rate.
    package var deliveryUncertainReason: String?
    package var doseRate: Double?
    package var doseRateUnit: String?
    package var deliveredMilligrams: Double?
    package var predictedConcentration: Double?
    /// When the programmed dose will be in at the current flow; nil while not delivering.
    package var estimatedCompletion: Int64?
    package var pumpState: String?
    package var infusedMillilitres: Double?
    /// What is left in the syringe, mL, as the core accounts it.
    package var syringeRemainingMillilitres: Double?
    package var vitals: [String: Vital] = [:]
    package var alarms: [String: Alarm] = [:]
    /// When the audio pause ends (daemon time), while it lasts.
    package var audioPausedUntil: Int64?
    /// When the bolus being pushed ends (daemon time), while it runs.
    package var bolusEndsAt: Int64?
    /// Device link state by role (`pump`, `monitor`).
    package var devices: [String: String] = [:]
    /// The alarms awaiting a confirming cuff reading before they pause, while the nurse is asked to
    /// start one.
    package var confirmingCuffReadingFor: [String]?
    /// The latest score per observation scale this session.
    package var observations: [String: Observation] = [:]
    /// Scheduled observations due now.
    package var dueObservations: [Due] = []
    /// The as-needed medications given this session, in the order given.
    package var medications: [Medication] = []

    init(id: String) { self.id = id }

    /// Takes one reading from a `vital` event: what the monitor said, kept for the sparkline. The chair itself
    /// (its session, delivery, alarms) comes only from `status` (`applyStatus(_:)`).
    mutating func apply(_ vital: VitalData, now: Int64) {
        // A flagged reading (invalid, artefact, sensor off...) is shown as absent, never as a number.
        let flags = vital.flags.map(\.rawValue)
        record(vital.parameter.rawValue, value: flags.isEmpty ? vital.value : nil, time: Self.nanoseconds(vital.time), now: now, flags: flags)
    }

    /// Takes the pump's own read-back (`pump.readback`): what the pump says it is doing, beside the daemon's account.
    mutating func apply(_ readback: PumpReadbackData) {
        pumpState = readback.state.rawValue
        infusedMillilitres = readback.infusedMillilitres ?? infusedMillilitres
    }

    /// A cuff reading taken at `time`, unless a newer one is shown.
    mutating func applyCuffPressure(systolic: Double, diastolic: Double?, mean: Double?, time: Int64) {
        guard time > (vitals["nibpSystolic"]?.time ?? Int64.min) else { return }
        for (value, parameter) in [(systolic, "nibpSystolic"), (diastolic, "nibpDiastolic"), (mean, "nibpMean")] {
            guard let value else { continue }
            record(parameter, value: value, time: time, now: time)
        }
    }

    /// Takes one reading of `parameter` measured at `time` into its latest value and its 15-minute history.
    mutating func record(_ parameter: String, value: Double?, time: Int64, now: Int64, flags: [String] = []) {
        var vital = vitals[parameter] ?? Vital(latest: nil, time: time)
        // A reading measured before the one shown (a late cuff reading already known) does not replace it.
        guard time >= vital.time else { return }
        vital.latest = value
        vital.time = time
        vital.flags = flags
        if let value { vital.history.append((time, value)) }
        let horizon = max(now, time) - DashboardModel.historyNanoseconds
        vital.history.removeAll { $0.time < horizon }
        vitals[parameter] = vital
    }

    /// Active alarms, highest priority first.
    package var sortedAlarms: [Alarm] {
        alarms.values.sorted { lhs, rhs in
            let left = Self.rank(lhs.priority), right = Self.rank(rhs.priority)
            return left != right ? left > right : lhs.condition < rhs.condition
        }
    }

    package static func rank(_ priority: String) -> Int {
        switch priority {
        case "high": 3
        case "medium": 2
        case "low": 1
        default: 0
        }
    }
}
