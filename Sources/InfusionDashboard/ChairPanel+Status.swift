import WireProtocol

extension ChairPanel {
    /// Takes one chair of the `status` reply, decoded as the protocol's `ChairStatus`: the chair as the daemon's
    /// core shows it, whole. A new patient since the last one shown keeps nothing of the previous one's readings.
    mutating func applyStatus(_ chair: ChairStatus) {
        let admitted = chair.takenInAt.map(Self.nanoseconds)
        if admitted != takenInAt {
            vitals = [:]
            takenInAt = admitted
        }
        state = chair.state.rawValue
        patientID = chair.patientID
        profileID = chair.profileID
        drugName = chair.drugName
        weightKilograms = chair.weightKilograms
        concentration = chair.concentrationMilligramsPerMillilitre
        programmedMilligrams = chair.programmedMilligrams
        softConcentrationLimit = chair.predictedConcentrationLimits?.softMaximum
        hardConcentrationLimit = chair.predictedConcentrationLimits?.hardMaximum
        flowMillilitresPerHour = chair.flowMillilitresPerHour
        deliveryUncertainReason = chair.deliveryUncertain ? chair.deliveryUncertainReason?.rawValue ?? "unconfirmed" : nil
        doseRate = chair.doseRate?.value
        doseRateUnit = chair.doseRate?.unit.rawValue
        deliveredMilligrams = chair.deliveredMilligrams
        syringeRemainingMillilitres = chair.syringeRemainingMillilitres
        predictedConcentration = chair.predictedConcentration
        estimatedCompletion = chair.estimatedCompletion.map(Self.nanoseconds)
        audioPausedUntil = chair.audioPausedUntil.map(Self.nanoseconds)
        bolusEndsAt = chair.bolusEndsAt.map(Self.nanoseconds)
        for entry in chair.vitals {
            let time = Self.nanoseconds(entry.measuredAt)
            // A flagged reading (invalid, artefact, sensor off...) is shown as absent, never as a number.
            record(entry.parameter, value: entry.trustworthy ? entry.value : nil, time: time, now: time, flags: entry.flags)
            vitals[entry.parameter]?.source = entry.source
            vitals[entry.parameter]?.maximumAgeNanoseconds = entry.maximumAgeSeconds.map { Int64($0 * 1e9) }
        }
        confirmingCuffReadingFor = chair.confirmingCuffReadingRequested.map { $0.causes.map(\.rawValue) }
        if let pressure = chair.bloodPressure {
            applyCuffPressure(
                systolic: pressure.systolic, diastolic: pressure.diastolic, mean: pressure.mean, time: Self.nanoseconds(pressure.time))
        }
        observations = chair.observations.mapValues { Observation(value: $0.value, time: Self.nanoseconds($0.time)) }
        dueObservations = chair.dueObservations.map { Due(scale: $0.scale, since: Self.nanoseconds($0.since)) }
        medications = (chair.medications ?? []).map {
            Medication(drug: $0.drug, dose: $0.dose, unit: $0.unit.rawValue, route: $0.route.rawValue, time: Self.nanoseconds($0.time))
        }
        alarms = [:]
        for entry in chair.activeAlarms {
            alarms[entry.condition.rawValue] = Alarm(
                condition: entry.condition.rawValue, priority: entry.priority.rawValue, acknowledged: entry.isAcknowledged,
                audioPaused: entry.isAudioPaused, latched: entry.isLatched)
        }
    }

    /// A protocol time as the panel's clock: nanoseconds since the epoch.
    static func nanoseconds(_ time: WireTimestamp) -> Int64 { time.epochMilliseconds * 1_000_000 }
}
