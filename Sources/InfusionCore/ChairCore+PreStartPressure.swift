extension ChairCore {
    /// The pre-start pressure rule (docs/CLINICAL-BASIS.md §8.3): when the patient's latest cuff pressure since
    /// intake is above `core.preStartBloodPressure`, `start` needs an override with a reason
    /// (`pre-start-pressure-high`; a blank reason is `override-reason-missing`). Returns the refusal, or the
    /// override to keep with the session (nil when the pressure is within bounds or none was taken; whether
    /// one must be taken is `requireBaselineBloodPressure`'s rule).
    func preStartPressureCheck(
        override: LimitOverride?, by operatorID: String, at now: MonotonicInstant
    ) -> Result<PreStartPressureOverride?, CoreError> {
        let policy = configuration.preStartBloodPressure
        let takenInAt = session?.takenInAt ?? now
        guard let systolic = vitals.latest(.nibpSystolic), systolic.time >= takenInAt else { return .success(nil) }
        let diastolic = vitals.latest(.nibpDiastolic).flatMap { $0.time >= takenInAt ? $0.value : nil }
        let systolicHigh = policy.systolicAbove.map { systolic.value > $0 } ?? false
        let diastolicHigh = diastolic.flatMap { value in policy.diastolicAbove.map { value > $0 } } ?? false
        guard systolicHigh || diastolicHigh else { return .success(nil) }
        let reading = "\(Int(systolic.value.rounded()))/" + (diastolic.map { "\(Int($0.rounded()))" } ?? "–")
        let bound = "\(policy.systolicAbove.map { "\(Int($0))" } ?? "–")/\(policy.diastolicAbove.map { "\(Int($0))" } ?? "–")"
        guard let override else {
            return .failure(CoreError(
                code: "pre-start-pressure-high",
                message: "the pre-start pressure \(reading) mmHg is above \(bound); confirm with a reason to start"))
        }
        guard override.hasReason else {
            return .failure(CoreError(code: "override-reason-missing", message: "starting above \(bound) mmHg needs a reason"))
        }
        return .success(PreStartPressureOverride(
            systolic: systolic.value, diastolic: diastolic, reason: override.reason, operatorID: operatorID, time: now))
    }
}

