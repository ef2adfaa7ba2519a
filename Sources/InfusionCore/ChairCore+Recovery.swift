extension ChairCore {
    /// Enters recovery from complete (stopping any KVO flow) and/or records the Aldrete score, whose total
    /// becomes the `aldrete` scale's latest observation.
    mutating func enterRecovery(
        aldrete: AldreteScore?,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard [.complete, .recovery, .dischargeReady].contains(state) else { return .wrongState("recovery", state) }
        if let aldrete, !aldrete.isValid { return .invalid("each Aldrete item is scored 0, 1 or 2") }
        if state != .complete && aldrete == nil { return .invalid("give the Aldrete score") }
        if let aldrete {
            session?.aldrete = aldrete
            let total = ObservationScore(scale: ObservationScale.aldrete.id, value: aldrete.total)
            record([total], note: nil, by: operatorID, at: now, into: &output)
        }
        if state == .complete {
            if ledger.flow.value > 0 { haltPump(.stop, at: now, into: &output) }
            transition(to: .recovery, reason: "operator", at: now, into: &output)
        }
        return nil
    }

    /// A clinician signs the discharge; the core only records readiness (docs/CLINICAL-BASIS.md §1.8 [D]).
    /// In recovery the refusal lists what is missing (`discharge-criteria-missing`, one word per criterion).
    mutating func discharge(by operatorID: String, at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        guard state == .dischargeReady else {
            guard state == .recovery, let missing = missingDischargeCriteria(at: now) else {
                return .wrongState("discharge", state)
            }
            return CoreError(
                code: "discharge-criteria-missing",
                message: "not ready for discharge: " + missing.map(\.message).joined(separator: "; "),
                details: missing.map(\.word))
        }
        session?.dischargedBy = operatorID
        transition(to: .discharged, reason: "signed", at: now, into: &output)
        return nil
    }

    /// The discharge criteria not met at the last instant handled, in recovery and discharge-ready (where
    /// the list is empty); nil in every other state.
    public var missingDischargeCriteria: [MissingDischargeCriterion]? {
        clock.flatMap { missingDischargeCriteria(at: $0) }
    }

    /// The discharge criteria not met at `now`, in recovery and discharge-ready; nil in every other state.
    /// Allocates: for status and refusals, not the tick path.
    public func missingDischargeCriteria(at now: MonotonicInstant) -> [MissingDischargeCriterion]? {
        guard state == .recovery || state == .dischargeReady else { return nil }
        var missing: [MissingDischargeCriterion] = []
        forEachMissingCriterion(at: now) { kind, scale in
            missing.append(describeMissing(kind, scale: scale, at: now))
            return true
        }
        return missing
    }

    /// Recovery ⇄ discharge-ready, re-checked on every input.
    mutating func evaluateDischargeReadiness(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard state == .recovery || state == .dischargeReady else { return }
        var ready = session != nil
        forEachMissingCriterion(at: now) { _, _ in
            ready = false
            return false
        }
        if ready && state == .recovery {
            transition(to: .dischargeReady, reason: "criteria-met", at: now, into: &output)
        } else if !ready && state == .dischargeReady {
            transition(to: .recovery, reason: "criteria-lost", at: now, into: &output)
        }
    }

    /// §1.8 and §8.7: the pump confirmed stopped, the time since the end ≥ minimum, the last cuff pressures
    /// after the end within tolerance of baseline, the Aldrete total ≥ threshold and the profile's
    /// discharge scores, each from the latest observation since the end, and no alarm active or latched.
    /// Calls `body` with each criterion not met, in that order, until it returns false. Allocation-free.
    func forEachMissingCriterion(
        at now: MonotonicInstant, _ body: (MissingDischargeCriterion.Kind, _ scale: String?) -> Bool
    ) {
        let policy = configuration.recovery
        guard let record = session else { return }
        let ended = record.infusionEndedAt
        if !supervision.isHaltConfirmed || deliveryUncertainty != nil, !body(.pumpStopped, nil) { return }
        let observedLongEnough = ended.map { now - $0 >= .configured(seconds: policy.minimumObservationSeconds) } ?? false
        if !observedLongEnough, !body(.observationTime, nil) { return }
        let pressuresBack =
            ended.map {
                pressureBackToBaseline(.nibpSystolic, baseline: record.baselineSystolic, since: $0)
                    && pressureBackToBaseline(.nibpDiastolic, baseline: record.baselineDiastolic, since: $0)
            } ?? false
        if !pressuresBack, !body(.bloodPressure, nil) { return }
        let aldrete = DischargeScore(scale: ObservationScale.aldrete.id, minimum: policy.aldreteThreshold)
        if !isMet(aldrete, in: record), !body(.score, aldrete.scale) { return }
        for score in record.profile.observationSchedule.dischargeScores where !isMet(score, in: record) {
            if !body(.score, score.scale) { return }
        }
        if alarms.hasAnyAlarm, !body(.alarms, nil) { return }
    }

    /// Whether the latest score of the criterion's scale since the infusion ended meets it.
    private func isMet(_ criterion: DischargeScore, in record: SessionRecord) -> Bool {
        guard let value = latestScoreSinceEnd(of: criterion.scale, in: record) else { return false }
        return criterion.isMet(by: value)
    }

    /// The latest score of `scale` observed since the infusion ended. A checkpoint written before
    /// observations existed holds the Aldrete score only as the item score `recovery` recorded after the end.
    private func latestScoreSinceEnd(of scale: String, in record: SessionRecord) -> Int? {
        guard let ended = record.infusionEndedAt else { return nil }
        guard let latest = record.observations[scale] else {
            return scale == ObservationScale.aldrete.id ? record.aldrete?.total : nil
        }
        return latest.time >= ended ? latest.value : nil
    }

    /// The operator's sentence for one missing criterion.
    private func describeMissing(
        _ kind: MissingDischargeCriterion.Kind, scale: String?, at now: MonotonicInstant
    ) -> MissingDischargeCriterion {
        let policy = configuration.recovery
        let message: String
        switch kind {
        case .pumpStopped:
            message = "the pump has not confirmed that it stopped"
        case .observationTime:
            let required = Int((policy.minimumObservationSeconds / 60).rounded(.up))
            let observed = session?.infusionEndedAt.map { Int(max((now - $0).secondsDouble, 0) / 60) } ?? 0
            message = "observed \(observed) of the \(required) min required after the infusion"
        case .bloodPressure:
            let tolerance = Int((policy.bloodPressureTolerance * 100).rounded())
            message = "the last cuff pressures since the infusion are not within ±\(tolerance) % of the baseline"
        case .score:
            let id = scale ?? ""
            let criterion =
                id == ObservationScale.aldrete.id
                ? DischargeScore(scale: id, minimum: policy.aldreteThreshold)
                : session?.profile.observationSchedule.dischargeScores.first { $0.scale == id }
            let wanted = criterion?.wanted ?? "a score"
            if let value = session.flatMap({ latestScoreSinceEnd(of: id, in: $0) }) {
                message = "\(id) is \(value); discharge needs \(wanted)"
            } else {
                message = "no \(id) score since the infusion ended; discharge needs \(wanted)"
            }
        case .alarms:
            let names = alarms.alarms.map(\.condition.rawValue).joined(separator: ", ")
            message = "alarms active or latched: \(names)"
        }
        return MissingDischargeCriterion(kind: kind, scale: scale, message: message)
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
