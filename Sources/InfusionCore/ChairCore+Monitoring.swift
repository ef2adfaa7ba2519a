extension ChairCore {
    /// The monitor's technical alarms, in every state with a patient in the chair (intake through
    /// discharge-ready): `monitorLinkLost` while the shell reports the monitor link down, `staleVitals`
    /// while any watched parameter has no trustworthy reading within its maximum age. Their priority
    /// fits the part of the session (`MonitorAlarmPriorities`). Allocation-free: the tick path runs it.
    mutating func evaluateMonitor(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let level = state.monitorsPatient ? monitorAlarmPriority : nil
        alarms.update(.monitorLinkLost, level: isMonitorLinkUp ? nil : level, at: now, into: &output)
        let stale = level != nil && firstStaleParameter(at: now) != nil
        alarms.update(.staleVitals, level: stale ? level : nil, at: now, into: &output)
        evaluateHeartRateAgreement(at: now, into: &output)
    }

    /// `heartRateSourcesDisagree`: both rates fresh and further apart than the gap for the delay.
    private mutating func evaluateHeartRateAgreement(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let policy = configuration.heartRateAgreement
        let staleness = configuration.staleVitals
        var disagree = false
        if state.monitorsPatient, let gap = policy.maximumGapBeatsPerMinute,
            let ecg = vitals.latest(.ecgHeartRate), let pleth = vitals.latest(.pulseRate),
            now - ecg.time <= staleness.maximumAge(of: .ecgHeartRate),
            now - pleth.time <= staleness.maximumAge(of: .pulseRate)
        {
            disagree = abs(ecg.value - pleth.value) > gap
        }
        heartRateDisagreementSince = disagree ? (heartRateDisagreementSince ?? now) : nil
        let sustained = heartRateDisagreementSince.map { now - $0 >= .configured(seconds: policy.delaySeconds) } ?? false
        let level = sustained ? configuration.alarms.priority(of: .heartRateSourcesDisagree) : nil
        alarms.update(.heartRateSourcesDisagree, level: level, at: now, into: &output)
    }

    /// The priority of the monitor's alarms now.
    private var monitorAlarmPriority: AlarmPriority {
        let priorities = configuration.monitorAlarmPriorities
        if pumpInUse { return priorities.whilePumpInUse }
        return session?.infusionStartedAt == nil ? priorities.beforeInfusion : priorities.afterInfusion
    }

    /// The first watched parameter whose latest trustworthy reading is older than its maximum age, if any.
    ///
    /// Watched: the policy's required parameters, and every continuous parameter a vital alarm rule uses
    /// once it has reported since intake. Ages count from intake at the earliest, so the monitor has the
    /// maximum age to deliver a new patient's first readings.
    public func firstStaleParameter(at now: MonotonicInstant) -> VitalParameter? {
        let policy = configuration.staleVitals
        let since = session?.takenInAt ?? now
        for parameter in Self.parameters {
            let latest = vitals.latest(parameter)
            let watched = !parameter.isIntermittent && latest != nil && isUsedByARule(parameter)
            guard watched || policy.parameters.contains(parameter) else { continue }
            if now - max(latest?.time ?? since, since) > policy.maximumAge(of: parameter) { return parameter }
        }
        return nil
    }

    private func isUsedByARule(_ parameter: VitalParameter) -> Bool {
        tracker.rules.contains { $0.parameters.contains(parameter) }
    }

    /// Stored once: the synthesized `allCases` allocates on every call.
    private static let parameters: [VitalParameter] = VitalParameter.allCases
}
