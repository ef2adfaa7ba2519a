extension ChairCore {
    /// Enters recovery from complete (stopping any KVO flow) and/or records the Aldrete score.
    mutating func enterRecovery(
        aldrete: AldreteScore?,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard [.complete, .recovery, .dischargeReady].contains(state) else { return .wrongState("recovery", state) }
        if let aldrete, !aldrete.isValid { return .invalid("each Aldrete item is scored 0, 1 or 2") }
        if state != .complete && aldrete == nil { return .invalid("give the Aldrete score") }
        if let aldrete { session?.aldrete = aldrete }
        if state == .complete {
            if ledger.flow.value > 0 { haltPump(.stop, at: now, into: &output) }
            transition(to: .recovery, reason: "operator", at: now, into: &output)
        }
        return nil
    }

    /// A clinician signs the discharge; the core only records readiness (docs/CLINICAL-BASIS.md §1.8 [D]).
    mutating func discharge(by operatorID: String, at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        guard state == .dischargeReady else { return .wrongState("discharge", state) }
        session?.dischargedBy = operatorID
        transition(to: .discharged, reason: "signed", at: now, into: &output)
        return nil
    }

    /// Recovery ⇄ discharge-ready, re-checked on every input.
    mutating func evaluateDischargeReadiness(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard state == .recovery || state == .dischargeReady else { return }
        let ready = isReadyForDischarge(at: now)
        if ready && state == .recovery {
            transition(to: .dischargeReady, reason: "criteria-met", at: now, into: &output)
        } else if !ready && state == .dischargeReady {
            transition(to: .recovery, reason: "criteria-lost", at: now, into: &output)
        }
    }

    /// §1.8: time since the end ≥ minimum, Aldrete ≥ threshold, the last cuff pressures after the end
    /// within tolerance of baseline, and no alarm active or latched.
    private func isReadyForDischarge(at now: MonotonicInstant) -> Bool {
        let policy = configuration.recovery
        guard let record = session, let ended = record.infusionEndedAt,
            now - ended >= .configured(seconds: policy.minimumObservationSeconds),
            let aldrete = record.aldrete, aldrete.total >= policy.aldreteThreshold,
            !alarms.hasAnyAlarm, supervision.isHaltConfirmed, deliveryUncertainty == nil
        else { return false }
        return pressureBackToBaseline(.nibpSystolic, baseline: record.baselineSystolic, since: ended)
            && pressureBackToBaseline(.nibpDiastolic, baseline: record.baselineDiastolic, since: ended)
    }

    private func pressureBackToBaseline(_ parameter: VitalParameter, baseline: Double?, since ended: MonotonicInstant) -> Bool {
        // Without a baseline there is nothing to compare with; start refuses that unless configured off.
        guard let baseline, baseline > 0 else { return !configuration.requireBaselineBloodPressure }
        let tolerance = configuration.recovery.bloodPressureTolerance
        func within(_ reading: VitalsMemory.Reading?) -> Bool {
            guard let reading, reading.time >= ended else { return false }
            return abs(reading.value - baseline) / baseline <= tolerance
        }
        let required = min(max(configuration.recovery.bloodPressureReadingsRequired, 1), 2)
        return within(vitals.latest(parameter)) && (required < 2 || within(vitals.previous(parameter)))
    }
}
