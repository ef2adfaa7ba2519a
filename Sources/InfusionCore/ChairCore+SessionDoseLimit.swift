extension ChairCore {
    /// The cumulative session-dose limits during delivery (docs/CLINICAL-BASIS.md §1.1 [D], row 4: past the
    /// session dose is a soft-limit event needing a confirmation and a reason; never past the hard cap).
    ///
    /// Passing a soft limit (per kilogram or in mg) pauses the pump and holds the session there, raising
    /// `sessionDoseSoftLimit`, unless an operator already confirmed going past it. Reaching the mg hard
    /// ceiling stops the infusion as the per-kilogram hard cap does. Runs after every input: the dose
    /// grows with time and with the pump's volume counter. Allocation-free while nothing changes.
    mutating func enforceSessionDoseLimits(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let record = session else { return }
        let delivered = ledger.deliveredDose
        if isDelivering, let hardCeiling = record.profile.absoluteSessionDoseLimits.hardMaximum,
            delivered.value >= hardCeiling
        {
            if state == .infusing {
                finishInfusion(reason: "session-dose-hard-limit", keepVeinOpen: false, at: now, into: &output)
            } else {
                haltPump(.stop, at: now, into: &output)
            }
        } else if state == .infusing, !record.sessionDoseSoftLimitOverridden, !record.heldAtSessionDoseSoftLimit,
            passesSoftSessionDoseLimit(delivered, record)
        {
            haltPump(.pause, at: now, into: &output)
            session?.heldAtSessionDoseSoftLimit = true
            transition(to: .paused, reason: "session-dose-soft-limit", at: now, into: &output)
        }
        let held = session?.heldAtSessionDoseSoftLimit == true && state == .paused
        let level = held ? configuration.alarms.priority(of: .sessionDoseSoftLimit) : nil
        alarms.update(.sessionDoseSoftLimit, level: level, at: now, into: &output)
    }

    /// Resume, which past a held soft session-dose limit needs `override` with a reason: the override is
    /// screened like any soft limit and published as a limit event once the resume went ahead.
    mutating func resume(
        override: LimitOverride?, by operatorID: String, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .paused, let record = session, record.heldAtSessionDoseSoftLimit else {
            return resume(at: now, into: &output)
        }
        let delivered = ledger.deliveredDose
        let checks = [
            LimitCheck(
                kind: .sessionDose, value: delivered.perKilogram(of: record.weight).value,
                band: LimitBand(softMaximum: record.profile.sessionDoseLimits.softMaximum)),
            LimitCheck(
                kind: .absoluteSessionDose, value: delivered.value,
                band: LimitBand(softMaximum: record.profile.absoluteSessionDoseLimits.softMaximum)),
        ]
        let screen = LimitScreen(
            operatorID: operatorID, profileID: record.profile.id, libraryVersion: record.libraryVersion, time: now)
        let verdict = screen.screen(checks, override: override)
        if let refusal = verdict.refusal {
            for event in verdict.events { output.append(.event(.limit(event))) }
            return refusal
        }
        if let error = resume(at: now, into: &output) { return error }
        for event in verdict.events { output.append(.event(.limit(event))) }
        session?.heldAtSessionDoseSoftLimit = false
        session?.sessionDoseSoftLimitOverridden = true
        return nil
    }

    private func passesSoftSessionDoseLimit(_ delivered: Milligrams, _ record: SessionRecord) -> Bool {
        let perKilogram = LimitBand(softMaximum: record.profile.sessionDoseLimits.softMaximum)
        let absolute = LimitBand(softMaximum: record.profile.absoluteSessionDoseLimits.softMaximum)
        return perKilogram.classify(delivered.perKilogram(of: record.weight).value) != .within
            || absolute.classify(delivered.value) != .within
    }
}
