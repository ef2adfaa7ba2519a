extension ChairCore {
    /// The latest score of each observation scale (by id) for the patient at the chair; empty without one.
    public var observations: [String: RecordedObservation] { session?.observations ?? [:] }

    /// The observations the session's profile schedules that are due at the last instant handled.
    public var dueObservations: [DueObservation] {
        guard let clock else { return [] }
        return dueObservations(at: clock)
    }

    /// The observations the session's profile schedules that are due at `now`, earliest first, one per
    /// scale (docs/CLINICAL-BASIS.md §8.8). Allocates: for status, not the tick path.
    public func dueObservations(at now: MonotonicInstant) -> [DueObservation] {
        var due: [DueObservation] = []
        forEachDueObservation(at: now) { scale, since in
            if let index = due.firstIndex(where: { $0.scale == scale }) {
                due[index].since = min(due[index].since, since)
            } else {
                due.append(DueObservation(scale: scale, since: since))
            }
            return true
        }
        return due.sorted { ($0.since, $0.scale) < ($1.since, $1.scale) }
    }

    /// `observe`: records the nurse's scores, all or none. An unknown scale (`unknown-scale`) or a score
    /// outside its scale (`score-out-of-range`) refuses the whole observation, so nothing half-recorded
    /// stands. Accepted scores replace each scale's latest and are published as one `observation` event.
    mutating func observe(
        _ request: ObservationRequest,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state.monitorsPatient, session != nil else { return .wrongState("observe", state) }
        guard !request.scores.isEmpty else { return .invalid("give at least one score") }
        let scores = request.scores.map { ObservationScore(scale: $0.key, value: $0.value) }.sorted { $0.scale < $1.scale }
        for score in scores {
            guard let scale = configuration.observationScales.first(where: { $0.id == score.scale }) else {
                let known = configuration.observationScales.map(\.id).joined(separator: ", ")
                return CoreError(code: "unknown-scale", message: "no observation scale '\(score.scale)'; known scales: \(known)")
            }
            guard scale.accepts(score.value) else {
                return CoreError(
                    code: "score-out-of-range",
                    message: "\(scale.id) is scored \(scale.minimum) to \(scale.maximum); \(score.value) is outside")
            }
        }
        let note = request.note.flatMap { $0.contains(where: { !$0.isWhitespace }) ? $0 : nil }
        record(scores, note: note, by: operatorID, at: now, into: &output)
        return nil
    }

    /// Keeps each score as its scale's latest and publishes them.
    mutating func record(
        _ scores: [ObservationScore],
        note: String?,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        for score in scores {
            session?.observations[score.scale] = RecordedObservation(value: score.value, time: now, operatorID: operatorID)
        }
        output.append(.event(.observation(ObservationEvent(scores: scores, note: note, operatorID: operatorID, time: now))))
    }

    /// Whether any scheduled observation is due: `observationDue` while so. Allocation-free (the tick path).
    func isAnyObservationDue(at now: MonotonicInstant) -> Bool {
        var any = false
        forEachDueObservation(at: now) { _, _ in
            any = true
            return false
        }
        return any
    }

    /// Calls `body` with each scale a rule of the session's profile finds due at `now` and when it fell
    /// due, until `body` returns false. A scale two rules schedule may come twice.
    func forEachDueObservation(
        at now: MonotonicInstant, _ body: (_ scale: String, _ since: MonotonicInstant) -> Bool
    ) {
        guard state.monitorsPatient, let record = session else { return }
        for rule in record.profile.observationSchedule.rules {
            guard let phaseStart = start(of: rule.phase, in: record) else { continue }
            for scale in rule.scales {
                guard let due = dueTime(of: scale, under: rule, phaseStart: phaseStart, in: record), due <= now else {
                    continue
                }
                if !body(scale, due) { return }
            }
        }
    }

    /// When `scale` falls due under `rule`: the phase's first due time until it is observed in the phase,
    /// then `everySeconds` after its latest observation; nil once a rule due once is met.
    private func dueTime(
        of scale: String, under rule: ObservationRule, phaseStart: MonotonicInstant, in record: SessionRecord
    ) -> MonotonicInstant? {
        guard let latest = record.observations[scale], latest.time >= phaseStart else {
            return phaseStart + .configured(seconds: rule.firstAfterSeconds)
        }
        return rule.everySeconds.map { latest.time + .configured(seconds: $0) }
    }

    /// When `phase` began, or nil while the session is not in it.
    private func start(of phase: ObservationRule.Phase, in record: SessionRecord) -> MonotonicInstant? {
        switch phase {
        case .beforeInfusion: record.infusionStartedAt == nil ? record.takenInAt : nil
        case .infusion: record.infusionEndedAt == nil ? record.infusionStartedAt : nil
        case .afterInfusion: record.infusionEndedAt
        }
    }
}

extension ChairCore {
    /// Publishes an `observationStatus` event when the observations due or the discharge criteria missing
    /// change. Allocation-free unless something changed: the sets are compared by a fingerprint.
    mutating func publishObservationStatus(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let fingerprint = observationStatusFingerprint(at: now)
        guard fingerprint != (publishedObservationStatus ?? Self.emptyObservationStatus) else { return }
        publishedObservationStatus = fingerprint
        let status = ObservationStatus(
            due: dueObservations(at: now), missingDischargeCriteria: missingDischargeCriteria(at: now), time: now)
        output.append(.event(.observationStatus(status)))
    }

    /// Which scales are due since when, and which criteria are missing, hashed.
    private func observationStatusFingerprint(at now: MonotonicInstant) -> Int {
        var hasher = Hasher()
        let listsCriteria = state == .recovery || state == .dischargeReady
        hasher.combine(listsCriteria)
        forEachDueObservation(at: now) { scale, since in
            hasher.combine(scale)
            hasher.combine(since)
            return true
        }
        if listsCriteria {
            forEachMissingCriterion(at: now) { kind, scale in
                hasher.combine(kind)
                hasher.combine(scale)
                return true
            }
        }
        return hasher.finalize()
    }

    /// The fingerprint of nothing due and no criteria listed (the seed is fixed for the process).
    private static var emptyObservationStatus: Int {
        var hasher = Hasher()
        hasher.combine(false)
        return hasher.finalize()
    }
}
