extension ChairCore {
    /// The chair's state for the shell to store; restoring it with ``restore(_:outage:at:into:)`` rebuilds the
    /// session. Cheap: copies values only.
    public var checkpoint: ChairCheckpoint {
        ChairCheckpoint(
            state: state, session: session, deliveredDose: ledger.deliveredDose, flow: ledger.flow, ledger: ledger,
            pharmacokinetics: pharmacokinetics,
            pauseCauseAlarms: (session?.pauseCauses ?? []).compactMap { alarms.state(of: $0) }, order: order)
    }

    /// Rebuilds a session after the daemon restarted. Call once, on a fresh core, before any other input.
    ///
    /// The daemon did not watch the patient during `outage`, so an infusing session is paused at once (the
    /// safe state; never resumed by the core) and the restart alarm is raised; the alarms that had paused
    /// it come back latched and unacknowledged, and a hold at the soft session-dose limit stays; rate changes, start and resume
    /// are refused until a person acknowledges it. The pump's first read-back reconciles the delivered dose
    /// from its volume counter. The prediction assumes the checkpoint's flow ran through the outage: the
    /// higher estimate, the safe side for the concentration limits.
    public mutating func restore(
        _ checkpoint: ChairCheckpoint, outage: Duration, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) {
        guard session == nil, order == nil else { return }
        order = checkpoint.order
        guard checkpoint.holdsSession else { return }
        state = checkpoint.state
        session = checkpoint.session
        ledger = checkpoint.ledger
        pharmacokinetics = checkpoint.pharmacokinetics
        pharmacokinetics?.advance(
            rateMilligramsPerHour: ledger.flow.drugRate(at: ledger.concentration).value, duration: max(outage, .zero))
        clock = now
        pendingRestart = PendingRestart(
            deliveredDoseAtCheckpoint: ledger.deliveredDose, outage: outage, stateAtCheckpoint: state)
        for alarm in checkpoint.pauseCauseAlarms { alarms.restoreLatched(alarm, at: now, into: &output) }
        alarms.update(.restartRecovery, level: configuration.alarms.priority(of: .restartRecovery), at: now, into: &output)
        output.append(.event(.restart(restartEvent(.restored, pump: nil, stoppedByItself: false, safeMode: false, at: now))))
        if checkpoint.stateAfterRestore != state {
            haltPump(.pause, at: now, into: &output)
            session?.pauseCauses.append(.restartRecovery)
            transition(to: checkpoint.stateAfterRestore, reason: "restart", at: now, into: &output)
        } else if state == .paused {
            // Paused in the checkpoint is not the pump confirmed still: a pause for a link lost as the daemon
            // stopped never reached it, and the restarted daemon's polls keep its safe mode from stopping it.
            // Paused again, repeated until a read-back confirms it.
            haltPump(.pause, at: now, into: &output)
        } else if ledger.flow.value > 0 {
            // A keep-vein-open flow after the infusion: stop it as well; the nurse restarts it if wanted.
            haltPump(.stop, at: now, into: &output)
        }
        // Nothing for a pump read-back to reconcile when the session never used the pump.
        if !checkpointUsedPump(checkpoint) { pendingRestart = nil }
        evaluate(at: now, into: &output)
    }

    /// Refuses a rate change, start or resume while the restart alarm waits for a person.
    func restartRefusal() -> CoreError? {
        guard let alarm = alarms.state(of: .restartRecovery), !alarm.isAcknowledged else { return nil }
        return CoreError(
            code: "restart-unacknowledged",
            message: "the daemon restarted during this session; review the reconciled dose and acknowledge restartRecovery first")
    }

    /// The first pump read-back after a restart: the pump's counter becomes the account of what flowed while
    /// the daemon was down, a pump that stopped by itself meanwhile is reported as such, and a rate the pump
    /// holds below the checkpoint's becomes the programme's (``rateToKeep(pumpRate:pending:)``).
    mutating func reconcileAfterRestart(_ observation: PumpObservation, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let pending = pendingRestart else { return }
        if let infused = observation.infusedMillilitres {
            ledger.recordPumpCounter(infused)
            ledger.adoptReportedVolume()
        }
        let checkpointRate = session?.program?.flow
        let pumpRate = observation.rateMillilitresPerHour.map(MillilitresPerHour.init)
        let takenFromPump = pumpRate.flatMap { rateToKeep(pumpRate: $0, pending: pending) }
        if let takenFromPump { session?.program?.flow = takenFromPump }
        let stoppedByItself = pending.stateAtCheckpoint == .infusing && observation.state != .infusing
        let safeMode = observation.alarms.contains(.communicationTimeout)
        var event = restartEvent(.reconciled, pump: observation.state, stoppedByItself: stoppedByItself, safeMode: safeMode, at: now)
        event.checkpointRate = checkpointRate
        event.pumpRate = pumpRate
        event.rateTakenFromPump = takenFromPump != nil
        output.append(.event(.restart(event)))

        pendingRestart = nil
        // The pause sent at restore is still on its way; a pump found stopped already matches it.
        if observation.state != .infusing { supervision.commandSent(running: false, flow: ledger.flow, at: now) }
    }

    /// The rate a restored session keeps when the pump's read-back disagrees with its checkpoint, or nil to keep
    /// the checkpoint's (docs/CORE.md, "Restart").
    ///
    /// The checkpoint may predate the last rate carried out: a titration answered `not-durable` on a full disk,
    /// whose records a crash then lost. The pump's own read-back holds what was carried out last. A lower rate
    /// than the checkpoint's is kept: it is the newer one and the safe side, so a resume never goes back to an
    /// older, higher rate; but only inside the entry's hard limits, which never yield. A higher rate is never
    /// taken over: nothing the daemon kept shows it screened and confirmed, so a resume sets the checkpoint's rate
    /// and a person titrates up again through the limits. Either way the chair stays paused until a person
    /// acknowledges the restart, and `session.reconciled` shows both rates.
    private func rateToKeep(pumpRate: MillilitresPerHour, pending: PendingRestart) -> MillilitresPerHour? {
        guard pending.stateAtCheckpoint == .infusing || pending.stateAtCheckpoint == .paused,
            let record = session, let program = record.program, record.bolus == nil,
            pumpRate.value > 0, pumpRate.value.isFinite,
            program.flow.value - pumpRate.value > readBackTolerance(program.flow)
        else { return nil }
        let drugRate = pumpRate.drugRate(at: program.concentration)
        let checks = rateChecks(drugRate, profile: record.profile, weight: record.weight, concentration: program.concentration)
        for check in checks {
            if case .hardExceeded = check.band.classify(check.value) { return nil }
        }
        return pumpRate
    }

    /// How far a read-back rate may lie from the commanded one and still be the same rate (the supervision's
    /// tolerance, `PumpSupervisionPolicy`).
    private func readBackTolerance(_ flow: MillilitresPerHour) -> Double {
        let policy = configuration.pumpSupervision
        return max(policy.rateToleranceMillilitresPerHour, policy.rateToleranceFraction * flow.value)
    }

    private func checkpointUsedPump(_ checkpoint: ChairCheckpoint) -> Bool {
        checkpoint.state == .infusing || checkpoint.state == .paused || checkpoint.flow.value > 0
    }

    private func restartEvent(
        _ kind: RestartEvent.Kind, pump: PumpRunState?, stoppedByItself: Bool, safeMode: Bool, at now: MonotonicInstant
    ) -> RestartEvent {
        RestartEvent(
            kind: kind, state: state, deliveredDoseAtCheckpoint: pendingRestart?.deliveredDoseAtCheckpoint ?? ledger.deliveredDose,
            deliveredDose: ledger.deliveredDose, outageSeconds: (pendingRestart?.outage ?? .zero).secondsDouble,
            pumpState: pump, pumpStoppedDuringOutage: stoppedByItself, safeModeExpired: safeMode, time: now)
    }
}
