extension ChairCore {
    /// Forgets everything the chair knew of the previous patient, so none of it reaches the next one:
    /// the vitals memory (the last cuff pressure would otherwise pass as the new baseline), the
    /// condition delays in progress, and that patient's alarms (see ``AlarmSystem/clearForNewPatient(at:into:)``).
    /// Called by an accepted intake, before the new session is bound.
    mutating func forgetPreviousPatient(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        vitals.forgetAll()
        tracker.reset()
        alarms.clearForNewPatient(at: now, into: &output)
        cuffReadingToReport = false
        heartRateDisagreementSince = nil
        confirmingCuffReading = nil
    }

    /// Takes one reading into the vitals memory and the condition trackers, unless it was measured before
    /// the patient was taken in: a cuff pressure the monitor dates itself can arrive after intake and
    /// still be the previous patient's.
    mutating func receive(_ vital: VitalSign) {
        if let takenInAt = session?.takenInAt, vital.time < takenInAt { return }
        if vitals.record(vital), vital.parameter.isIntermittent { cuffReadingToReport = true }
        tracker.observe(vital)
    }

    /// The baseline check of `start` (docs/CLINICAL-BASIS.md §1.6: a baseline blood pressure before the
    /// infusion): when required, the latest systolic and diastolic cuff readings must be measured after
    /// intake and be no older than `baselineBloodPressureMaximumAgeSeconds`, else `no-baseline-bp`.
    ///
    /// Answers only where `start` would otherwise go ahead, so every other refusal keeps its own code and
    /// its order; nil lets `start` proceed.
    func baselineRefusal(at now: MonotonicInstant) -> CoreError? {
        guard configuration.requireBaselineBloodPressure, state == .programmed, let record = session,
            record.program != nil, restartRefusal() == nil, deliveryPrecondition(at: now) == nil
        else { return nil }
        let maximumAge = Duration.configured(seconds: configuration.baselineBloodPressureMaximumAgeSeconds)
        let takenInAt = record.takenInAt ?? now
        for parameter in [VitalParameter.nibpSystolic, .nibpDiastolic] {
            guard let reading = vitals.latest(parameter), reading.time >= takenInAt else {
                return CoreError(code: "no-baseline-bp", message: "take a cuff pressure after intake before starting")
            }
            guard now - reading.time <= maximumAge else {
                let minutes = Int((now - reading.time).secondsDouble / 60)
                return CoreError(
                    code: "no-baseline-bp",
                    message: "the last cuff pressure is \(minutes) min old; take a new one before starting")
            }
        }
        return nil
    }
}
