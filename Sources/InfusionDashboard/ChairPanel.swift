import WireProtocol

/// One chair's state on the dashboard, folded from the `status` reply and the chair's events.
/// Times are nanoseconds since the epoch, read from the protocol's ISO 8601 times.
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
    /// Why the pump has not confirmed what it delivers (`pump.delivery-certainty`); nil when it has.
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
    /// start one (`interlock` `awaitingConfirmingReading` until `awaitingConfirmingReadingEnded`).
    package var confirmingCuffReadingFor: [String]?
    /// The latest score per observation scale this session.
    package var observations: [String: Observation] = [:]
    /// Scheduled observations due now (`observation.status`).
    package var dueObservations: [Due] = []
    /// The as-needed medications given this session, in the order given.
    package var medications: [Medication] = []

    init(id: String) { self.id = id }

    /// Folds one chair event's `detail`.
    mutating func apply(event name: String, detail: JSONValue, now: Int64) {
        switch name {
        case "session.state":
            if let to = detail["to"]?.stringValue { state = to }
            applySession(detail["session"])
            // A new patient: the previous one's readings are not theirs (the daemon forgets them too).
            if detail["reason"]?.stringValue == "intake" {
                vitals = [:]
                observations = [:]
                medications = []
            }
        case "observation":
            let time = detail["time"]?.nanoseconds ?? now
            if case .array(let scores)? = detail["scores"] {
                for score in scores {
                    guard let scale = score["scale"]?.stringValue, let value = score["value"]?.doubleValue else { continue }
                    observations[scale] = Observation(value: Int(value), time: time)
                }
            }
        case "observation.status":
            applyDue(detail["due"])
        case "medication":
            if let drug = detail["drug"]?.stringValue, let dose = detail["dose"]?.doubleValue {
                medications.append(Medication(
                    drug: drug, dose: dose, unit: detail["unit"]?.stringValue ?? "", route: detail["route"]?.stringValue ?? "",
                    time: detail["time"]?.nanoseconds ?? now))
            }
        case "pump.delivery":
            applyDelivery(detail)
        case "pump.delivery-certainty":
            deliveryUncertainReason = detail["reason"]?.stringValue
        case "pump.readback":
            pumpState = detail["state"]?.stringValue ?? pumpState
            infusedMillilitres = detail["infusedMillilitres"]?.doubleValue ?? infusedMillilitres
        case "vital":
            applyVital(detail, now: now)
        case "device.up", "device.down":
            let role = detail["role"]?.stringValue ?? detail["path"]?.stringValue ?? "device"
            devices[role] = detail["link"]?.stringValue ?? (name == "device.up" ? "up" : "down")
        case "interlock":
            switch detail["kind"]?.stringValue {
            case "awaitingConfirmingReading": confirmingCuffReadingFor = Self.names(detail["causes"])
            case "awaitingConfirmingReadingEnded": confirmingCuffReadingFor = nil
            default: break
            }
        case "session.bolus":
            bolusEndsAt = detail["kind"]?.stringValue == "started" ? detail["endsAt"]?.nanoseconds : nil
        case "alarm.audio-pause":
            let paused = detail["isPaused"]?.boolValue == true
            audioPausedUntil = paused ? detail["until"]?.nanoseconds : nil
            for key in alarms.keys { alarms[key]?.audioPaused = paused }
        case let alarm where alarm.hasPrefix("alarm."):
            applyAlarm(String(alarm.dropFirst("alarm.".count)), detail)
        default:
            break
        }
    }

    /// Takes the session outline a session transition carries (nil: no patient any more).
    mutating func applySession(_ outline: JSONValue?) {
        patientID = outline?["patientID"]?.stringValue
        profileID = outline?["profileID"]?.stringValue
        drugName = outline?["drugName"]?.stringValue
        weightKilograms = outline?["weight"]?.doubleValue
        concentration = outline?["concentration"]?.doubleValue
        programmedMilligrams = outline?["programmedDose"]?.doubleValue
        softConcentrationLimit = outline?["predictedConcentrationLimits"]?["softMaximum"]?.doubleValue
        hardConcentrationLimit = outline?["predictedConcentrationLimits"]?["hardMaximum"]?.doubleValue
        if outline == nil { estimatedCompletion = nil }
    }

    private mutating func applyDelivery(_ detail: JSONValue) {
        flowMillilitresPerHour = detail["flow"]?.doubleValue ?? flowMillilitresPerHour
        doseRate = detail["doseRate"]?["value"]?.doubleValue ?? doseRate
        doseRateUnit = detail["doseRate"]?["unit"]?.stringValue ?? doseRateUnit
        deliveredMilligrams = detail["deliveredDose"]?.doubleValue ?? deliveredMilligrams
        syringeRemainingMillilitres = detail["syringeRemainingMillilitres"]?.doubleValue
        predictedConcentration = detail["predictedConcentration"]?.doubleValue ?? predictedConcentration
        if let pressure = detail["bloodPressure"] { applyCuffPressure(pressure) }
        estimatedCompletion = nil
        guard let time = detail["time"]?.nanoseconds, let programmed = programmedMilligrams, let concentration,
            let flow = flowMillilitresPerHour, flow > 0, concentration > 0
        else { return }
        let hours = max(programmed - (deliveredMilligrams ?? 0), 0) / (flow * concentration)
        if hours.isFinite { estimatedCompletion = time + Int64(hours * 3_600 * 1e9) }
    }

    /// Takes a cuff reading (`{"systolic":…,"diastolic":…,"mean":…,"time":…}`) unless a newer one is shown.
    mutating func applyCuffPressure(_ pressure: JSONValue) {
        guard let systolic = pressure["systolic"]?.doubleValue, let time = pressure["time"]?.nanoseconds else { return }
        applyCuffPressure(
            systolic: systolic, diastolic: pressure["diastolic"]?.doubleValue, mean: pressure["mean"]?.doubleValue, time: time)
    }

    /// A cuff reading taken at `time`, unless a newer one is shown.
    mutating func applyCuffPressure(systolic: Double, diastolic: Double?, mean: Double?, time: Int64) {
        guard time > (vitals["nibpSystolic"]?.time ?? Int64.min) else { return }
        for (value, parameter) in [(systolic, "nibpSystolic"), (diastolic, "nibpDiastolic"), (mean, "nibpMean")] {
            guard let value else { continue }
            record(parameter, value: value, time: time, now: time)
        }
    }

    private mutating func applyVital(_ detail: JSONValue, now: Int64) {
        guard let parameter = detail["parameter"]?.stringValue else { return }
        let time = detail["time"]?.nanoseconds ?? now
        // A flagged reading (invalid, artefact, sensor off...) is shown as absent, never as a number.
        let flags: [String] = switch detail["flags"] {
        case .array(let names)?: names.map { $0.stringValue ?? "flagged" }
        case .integer(let bits)? where bits != 0: ["flagged"]
        default: []
        }
        let value = flags.isEmpty ? detail["value"]?.doubleValue : nil
        record(parameter, value: value, time: time, now: now, flags: flags)
    }

    /// Takes the `vitals` of a `status` chair: each parameter's latest reading with its source and maximum age.

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

    private mutating func applyAlarm(_ transition: String, _ detail: JSONValue) {
        guard let condition = detail["condition"]?.stringValue else { return }
        if transition == "cleared" {
            alarms[condition] = nil
            return
        }
        var alarm = alarms[condition] ?? Alarm(condition: condition, priority: "low")
        alarm.priority = detail["priority"]?.stringValue ?? alarm.priority
        switch transition {
        case "acknowledged": alarm.acknowledged = true
        case "latched": alarm.latched = true
        case "raised", "escalated":
            alarm.acknowledged = false
            alarm.latched = false
            alarm.audioPaused = false
        default: break
        }
        alarms[condition] = alarm
    }

    /// The strings of a JSON array (alarm condition names).
    static func names(_ value: JSONValue?) -> [String] {
        guard case .array(let list)? = value else { return [] }
        return list.compactMap(\.stringValue)
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
