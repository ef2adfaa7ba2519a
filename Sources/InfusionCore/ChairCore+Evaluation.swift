extension ChairCore {
    /// Re-derives every alarm condition at `now`, applies the interlock, and re-checks discharge
    /// readiness. Runs after every input. Allocation-free unless something changes.
    mutating func evaluate(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        alarms.advance(to: now, into: &output)
        evaluatePhysiological(at: now, into: &output)
        evaluateTechnical(at: now, into: &output)
        applyInterlock(at: now, into: &output)
        repeatUnconfirmedHalt(afterFailure: false, at: now, into: &output)
        publishDeliveryCertainty(at: now, into: &output)
        evaluateDischargeReadiness(at: now, into: &output)
        publishObservationStatus(at: now, into: &output)
    }

    /// Whether the pump is in this session's service (delivering, paused mid-session, or at KVO).
    var pumpInUse: Bool {
        state == .infusing || state == .paused || (state == .complete && ledger.flow.value > 0)
    }

    /// Whether drug is meant to be flowing now.
    var isDelivering: Bool { ledger.flow.value > 0 }

    /// Whether the pump's read-back is watched: while it serves the session, and whenever a halt it
    /// was sent is not yet confirmed, whatever the session's state.
    var watchesPump: Bool { pumpInUse || !supervision.isHaltConfirmed }

    /// Publishes a change in delivery certainty (reason, or certain again).
    private mutating func publishDeliveryCertainty(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let reason =
            session == nil
            ? nil
            : supervision.uncertainty(
                pumpLinkUp: isPumpLinkUp, pumpInUse: pumpInUse, at: now, policy: configuration.pumpSupervision)
        guard reason != publishedUncertainty.reason else { return }
        let since = reason == nil ? nil : (publishedUncertainty.since ?? now)
        publishedUncertainty = DeliveryUncertainty(reason: reason, since: since, time: now)
        output.append(.event(.deliveryCertainty(publishedUncertainty)))
    }

    private mutating func evaluatePhysiological(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let monitoring = state.monitorsPatient
        for index in tracker.rules.indices {
            let level = monitoring ? tracker.level(ofRule: index, at: now) : nil
            alarms.update(tracker.rules[index].condition, level: level, at: now, into: &output)
        }
    }

    private mutating func evaluateTechnical(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let inUse = watchesPump
        let afterStart = session?.infusionStartedAt != nil && state.monitorsPatient
        raise(.pumpLinkLost, when: inUse && !isPumpLinkUp, at: now, into: &output)
        evaluateMonitor(at: now, into: &output)
        raise(.bloodPressureOverdue, when: afterStart && bloodPressureIsOverdue(at: now), at: now, into: &output)
        raise(.observationDue, when: isAnyObservationDue(at: now), at: now, into: &output)
        for condition in AlarmCondition.pumpReported {
            let reported = supervision.reportedAlarms.contains { AlarmCondition(pumpAlarm: $0) == condition }
            raise(condition, when: inUse && (reported || syringeContentsRaise(condition)), at: now, into: &output)
        }
        raise(.readBackMismatch, when: inUse && supervision.readBackMismatch, at: now, into: &output)
        let unconfirmed = supervision.isUnconfirmed(at: now, policy: configuration.pumpSupervision)
        raise(.commandUnconfirmed, when: inUse && unconfirmed, at: now, into: &output)
        raise(.volumeDivergence, when: inUse && ledger.diverges(under: configuration.reconciliation), at: now, into: &output)
        raise(.restartRecovery, when: pendingRestart != nil, at: now, into: &output)
        raise(.recordKeepingFailure, when: !isRecordKeepingHealthy, at: now, into: &output)
    }

    /// Whether the newest cuff pressure (or, with none since the start, the start itself) is older than the
    /// cadence allows.
    private func bloodPressureIsOverdue(at now: MonotonicInstant) -> Bool {
        guard let limit = configuration.bloodPressureCadence.overdueAge, let started = session?.infusionStartedAt else {
            return false
        }
        let since = max(vitals.latest(.nibpSystolic)?.time ?? started, started)
        return now - since > limit
    }

    private mutating func raise(
        _ condition: AlarmCondition,
        when present: Bool,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        let level = present ? configuration.alarms.priority(of: condition) : nil
        alarms.update(condition, level: level, at: now, into: &output)
    }

    /// Pauses the pump now when an active alarm matches an interlock rule while drug flows. Never
    /// resumes: that is an operator's command.
    ///
    /// With `confirmBloodPressureBeforePause`, a blood-pressure alarm that would pause announces once
    /// that it awaits the confirming cuff reading (`awaitingConfirmingReading`: the nurse is asked to
    /// start one, which infusiond cannot do, docs/SIMULATORS.md), and announces once when it no longer
    /// does (`awaitingConfirmingReadingEnded`): the confirming reading paused the pump, the condition
    /// ended, or drug stopped flowing.
    private mutating func applyInterlock(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard isDelivering else {
            endAwaitingConfirmation(at: now, into: &output)
            return
        }
        let policy = configuration.interlock
        var mustPause = false
        var awaitingConfirmation = false
        for condition in AlarmCondition.all {
            guard let alarm = alarms.state(of: condition) else { continue }
            let readings = tracker.consecutiveHighReadings(for: condition)
            if policy.demandsPause(alarm, consecutiveHighReadings: readings) {
                mustPause = true
            } else if policy.demandsPause(alarm, consecutiveHighReadings: Int.max) {
                awaitingConfirmation = true
            }
        }
        if mustPause {
            let causes = AlarmCondition.all.filter { condition in
                guard let alarm = alarms.state(of: condition) else { return false }
                return policy.demandsPause(alarm, consecutiveHighReadings: tracker.consecutiveHighReadings(for: condition))
            }
            pauseForAlarms(causes, at: now, into: &output)
        } else if awaitingConfirmation && confirmingCuffReading == nil {
            let waiting = AlarmCondition.all.filter { condition in
                guard let alarm = alarms.state(of: condition) else { return false }
                return policy.demandsPause(alarm, consecutiveHighReadings: Int.max)
            }
            output.append(.event(.interlock(InterlockEvent(kind: .awaitingConfirmingReading, causes: waiting, time: now))))
            confirmingCuffReading = OutwardChairStatus.ConfirmingCuffReading(causes: waiting, since: now)
        }
        if !awaitingConfirmation || mustPause {
            endAwaitingConfirmation(at: now, into: &output)
        }
    }

    /// Announces that no confirming cuff reading is awaited any more, once, if one was.
    private mutating func endAwaitingConfirmation(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard confirmingCuffReading != nil else { return }
        confirmingCuffReading = nil
        output.append(.event(.interlock(InterlockEvent(kind: .awaitingConfirmingReadingEnded, causes: [], time: now))))
    }

    /// The interlock's pause: pump paused (or a KVO flow stopped), causes recorded for the resume check.
    private mutating func pauseForAlarms(
        _ causes: [AlarmCondition],
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        if state == .infusing {
            haltPump(.pause, at: now, into: &output)
            session?.pauseCauses = causes
            transition(to: .paused, reason: "interlock", at: now, into: &output)
        } else {
            haltPump(.stop, at: now, into: &output)
        }
        output.append(.event(.interlock(InterlockEvent(kind: .paused, causes: causes, time: now))))
    }
}
