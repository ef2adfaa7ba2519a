import WireProtocol

extension ChairPanel {
    /// Takes the list of observations due (`[{"scale":"moaas","since":TIME}]`).
    mutating func applyDue(_ due: JSONValue?) {
        dueObservations = []
        guard case .array(let entries)? = due else { return }
        for entry in entries {
            guard let scale = entry["scale"]?.stringValue, let since = entry["since"]?.nanoseconds else { continue }
            dueObservations.append(Due(scale: scale, since: since))
        }
    }

    /// Takes one chair of the `status` reply: the chair as the daemon knew it when the dashboard
    /// connected, including alarms raised before then. Events that follow refine it.
    mutating func applyStatus(_ chair: JSONValue) {
        if let value = chair["state"]?.stringValue { state = value }
        applySession(chair["profileID"] == nil ? nil : .object([
            "profileID": chair["profileID"] ?? .null, "drugName": chair["drugName"] ?? .null,
            "weight": chair["weightKilograms"] ?? .null, "concentration": chair["concentrationMilligramsPerMillilitre"] ?? .null,
            "programmedDose": chair["programmedMilligrams"] ?? .null,
            "predictedConcentrationLimits": chair["predictedConcentrationLimits"] ?? .null,
        ]))
        flowMillilitresPerHour = chair["flowMillilitresPerHour"]?.doubleValue
        deliveryUncertainReason =
            chair["deliveryUncertain"]?.boolValue == true ? chair["deliveryUncertainReason"]?.stringValue ?? "unconfirmed" : nil
        doseRate = chair["doseRate"]?["value"]?.doubleValue
        doseRateUnit = chair["doseRate"]?["unit"]?.stringValue
        deliveredMilligrams = chair["deliveredMilligrams"]?.doubleValue
        syringeRemainingMillilitres = chair["syringeRemainingMillilitres"]?.doubleValue
        predictedConcentration = chair["predictedConcentration"]?.doubleValue
        estimatedCompletion = chair["estimatedCompletion"]?.nanoseconds
        audioPausedUntil = chair["audioPausedUntil"]?.nanoseconds
        bolusEndsAt = chair["bolusEndsAt"]?.nanoseconds
        applyVitals(chair["vitals"])
        confirmingCuffReadingFor = chair["confirmingCuffReadingRequested"].map { Self.names($0["causes"]) }
        if let pressure = chair["bloodPressure"] { applyCuffPressure(pressure) }
        observations = [:]
        if case .object(let latest)? = chair["observations"] {
            for (scale, entry) in latest {
                guard let value = entry["value"]?.doubleValue, let time = entry["time"]?.nanoseconds else { continue }
                observations[scale] = Observation(value: Int(value), time: time)
            }
        }
        applyDue(chair["dueObservations"])
        alarms = [:]
        if case .array(let active)? = chair["activeAlarms"] {
            for entry in active {
                guard let condition = entry["condition"]?.stringValue else { continue }
                alarms[condition] = Alarm(
                    condition: condition, priority: entry["priority"]?.stringValue ?? "low",
                    acknowledged: entry["isAcknowledged"]?.boolValue ?? false,
                    audioPaused: entry["isAudioPaused"]?.boolValue ?? false,
                    latched: entry["isLatched"]?.boolValue ?? false)
            }
        }
    }
}
