import WireProtocol

/// One chair's state on the dashboard.
struct ChairPanel: Sendable, Equatable {
    /// One active (not yet cleared) alarm condition.
    struct Alarm: Sendable, Equatable {
        var condition: String
        var priority: String
        var acknowledged: Bool
    }

    /// A vital sign's latest reading and its recent history.
    struct Vital: Sendable, Equatable {
        var latest: Double?
        var time: Int64
        var history: [(time: Int64, value: Double)] = []

        static func == (lhs: Vital, rhs: Vital) -> Bool {
            lhs.latest == rhs.latest && lhs.time == rhs.time && lhs.history.map(\.value) == rhs.history.map(\.value)
        }
    }

    let id: String
    var state = "unknown"
    var flowMillilitresPerHour: Double?
    var doseRate: Double?
    var doseRateUnit: String?
    var deliveredMilligrams: Double?
    var predictedConcentration: Double?
    var pumpState: String?
    var infusedMillilitres: Double?
    var vitals: [String: Vital] = [:]
    var alarms: [String: Alarm] = [:]
    /// When the audio pause ends (daemon time), while it lasts.
    var audioPausedUntil: Int64?
    /// Device link state by role (`pump`, `monitor`).
    var devices: [String: String] = [:]

    init(id: String) { self.id = id }

    /// Folds one chair event's `detail`.
    mutating func apply(event name: String, detail: JSONValue, now: Int64) {
        switch name {
        case "session.state":
            if let to = detail["to"]?.stringValue { state = to }
        case "pump.delivery":
            flowMillilitresPerHour = detail["flow"]?.doubleValue ?? flowMillilitresPerHour
            doseRate = detail["doseRate"]?["value"]?.doubleValue ?? doseRate
            doseRateUnit = detail["doseRate"]?["unit"]?.stringValue ?? doseRateUnit
            deliveredMilligrams = detail["deliveredDose"]?.doubleValue ?? deliveredMilligrams
            predictedConcentration = detail["predictedConcentration"]?.doubleValue ?? predictedConcentration
        case "pump.readback":
            pumpState = detail["state"]?.stringValue ?? pumpState
            infusedMillilitres = detail["infusedMillilitres"]?.doubleValue ?? infusedMillilitres
        case "vital":
            applyVital(detail, now: now)
        case "device.up", "device.down":
            let role = detail["role"]?.stringValue ?? detail["path"]?.stringValue ?? "device"
            devices[role] = detail["link"]?.stringValue ?? (name == "device.up" ? "up" : "down")
        case "alarm.audio-pause":
            audioPausedUntil = detail["isPaused"]?.boolValue == true ? detail["until"]?.nanoseconds : nil
        case let alarm where alarm.hasPrefix("alarm."):
            applyAlarm(alarm, detail)
        default:
            break
        }
    }

    private mutating func applyVital(_ detail: JSONValue, now: Int64) {
        guard let parameter = detail["parameter"]?.stringValue else { return }
        let time = detail["time"]?.nanoseconds ?? now
        let flags = detail["flags"]?.doubleValue ?? 0
        // A flagged reading (invalid, artefact, sensor off...) is shown as absent, never as a number.
        let value = flags == 0 ? detail["value"]?.doubleValue : nil
        var vital = vitals[parameter] ?? Vital(latest: nil, time: time)
        vital.latest = value
        vital.time = time
        if let value { vital.history.append((time, value)) }
        let horizon = max(now, time) - DashboardModel.historyNanoseconds
        vital.history.removeAll { $0.time < horizon }
        vitals[parameter] = vital
    }

    private mutating func applyAlarm(_ name: String, _ detail: JSONValue) {
        guard let condition = detail["condition"]?.stringValue else { return }
        if name == "alarm.cleared" {
            alarms[condition] = nil
            return
        }
        var alarm = alarms[condition] ?? Alarm(condition: condition, priority: "low", acknowledged: false)
        alarm.priority = detail["priority"]?.stringValue ?? alarm.priority
        switch name {
        case "alarm.acknowledged": alarm.acknowledged = true
        case "alarm.raised", "alarm.escalated": alarm.acknowledged = false
        default: break
        }
        alarms[condition] = alarm
    }

    /// Active alarms, highest priority first.
    var sortedAlarms: [Alarm] {
        alarms.values.sorted { lhs, rhs in
            let left = Self.rank(lhs.priority), right = Self.rank(rhs.priority)
            return left != right ? left > right : lhs.condition < rhs.condition
        }
    }

    static func rank(_ priority: String) -> Int {
        switch priority {
        case "high": 3
        case "medium": 2
        case "low": 1
        default: 0
        }
    }
}
