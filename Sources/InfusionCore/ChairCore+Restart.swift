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
    /// the daemon was down, and a pump that stopped by itself meanwhile is reported as such.
    mutating func reconcileAfterRestart(_ observation: PumpObservation, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let pending = pendingRestart else { return }
        if let infused = observation.infusedMillilitres {
            ledger.recordPumpCounter(infused)
            ledger.adoptReportedVolume()
        }
        let stoppedByItself = pending.stateAtCheckpoint == .infusing && observation.state != .infusing
        let safeMode = observation.alarms.contains(.communicationTimeout)
        output.append(
            .event(.restart(restartEvent(.reconciled, pump: observation.state, stoppedByItself: stoppedByItself, safeMode: safeMode, at: now))))
        pendingRestart = nil
        // The pause sent at restore is still on its way; a pump found stopped already matches it.
        if observation.state != .infusing { supervision.commandSent(running: false, flow: ledger.flow, at: now) }
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
