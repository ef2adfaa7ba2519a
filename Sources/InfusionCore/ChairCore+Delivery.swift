extension ChairCore {
    /// Start: only from programmed, with both links up, fresh vitals, a baseline pressure (when
    /// configured), no alarm that would pause at once, and a pre-start pressure within bounds or confirmed
    /// with `pressureOverride`.
    mutating func start(
        pressureOverride: LimitOverride? = nil, by operatorID: String, at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .programmed, var record = session, let program = record.program else {
            return .wrongState("start", state)
        }
        if let refusal = restartRefusal() { return refusal }
        if let refusal = deliveryPrecondition(at: now) { return refusal }
        switch preStartPressureCheck(override: pressureOverride, by: operatorID, at: now) {
        case .failure(let refusal): return refusal
        case .success(let confirmed): if let confirmed { record.preStartPressureOverride = confirmed }
        }
        if let refusal = syringeRefusal(flow: program.flow, at: now, into: &output) { return refusal }
        if configuration.requireBaselineBloodPressure {
            guard let systolic = vitals.latest(.nibpSystolic), let diastolic = vitals.latest(.nibpDiastolic) else {
                return CoreError(code: "no-baseline-bp", message: "take a cuff pressure before starting")
            }
            record.baselineSystolic = systolic.value
            record.baselineDiastolic = diastolic.value
        }
        if record.infusionStartedAt == nil {
            output.append(.pump(.clearVolume))
            awaitingClearedCounter = true
        }
        record.infusionStartedAt = record.infusionStartedAt ?? now
        session = record
        deliver(at: program.flow, at: now, into: &output)
        transition(to: .infusing, reason: "operator", at: now, into: &output)
        return nil
    }

    /// Operator pause: the pump stops now; the program and the dose account are kept.
    mutating func pauseByOperator(reason: String, at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        guard state == .infusing else { return .wrongState("pause", state) }
        haltPump(.pause, at: now, into: &output)
        transition(to: .paused, reason: "operator", at: now, into: &output)
        return nil
    }

    /// Resume: a person's decision, never the core's. Refused while any alarm that caused the pause is
    /// unacknowledged or still present, or anything that would pause again at once holds.
    mutating func resume(at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        guard state == .paused, var record = session, let program = record.program else {
            return .wrongState("resume", state)
        }
        if let refusal = restartRefusal() { return refusal }
        for cause in record.pauseCauses {
            guard let alarm = alarms.state(of: cause) else { continue }
            // A latched alarm is never acknowledged (acknowledging it clears it).
            if !alarm.isAcknowledged {
                return CoreError(code: "alarm-unacknowledged", message: "acknowledge \(cause.rawValue) before resuming")
            }
            return CoreError(code: "alarm-condition-present", message: "\(cause.rawValue) is still present")
        }
        if let refusal = deliveryPrecondition(at: now) { return refusal }
        if let refusal = syringeRefusal(flow: program.flow, at: now, into: &output) { return refusal }
        if deliveredTarget(record) { return CoreError(code: "dose-reached", message: "the programmed dose is delivered") }
        record.pauseCauses = []
        session = record
        supervision.clearMismatch()
        deliver(at: program.flow, at: now, into: &output)
        transition(to: .infusing, reason: "operator", at: now, into: &output)
        return nil
    }

    /// Operator stop: ends the infusion (or a keep-vein-open flow after it).
    mutating func stopByOperator(reason: String, at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        switch state {
        case .infusing, .paused:
            finishInfusion(reason: "operator-stopped", keepVeinOpen: false, at: now, into: &output)
            return nil
        case .complete where ledger.flow.value > 0:
            haltPump(.stop, at: now, into: &output)
            return nil
        default:
            return .wrongState("stop", state)
        }
    }

    /// A syringe change, re-confirming drug and concentration against the program. Only while paused
    /// (or before the start), so no drug flows while syringes are swapped.
    mutating func changeSyringe(
        _ request: SyringeChangeRequest,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .paused || state == .programmed, var record = session, var program = record.program else {
            return .wrongState("syringe", state)
        }
        guard request.drugName.lowercased() == record.profile.drugName.lowercased(),
            request.concentration == program.concentration
        else {
            return CoreError(
                code: "syringe-mismatch",
                message: "the syringe must hold \(record.profile.drugName) at \(program.concentration)"
            )
        }
        guard request.volume.isPositiveAndFinite else { return .invalid("syringe volume must be positive") }
        let syringe: SyringeSpec
        switch self.syringe(named: request.syringe, current: program.syringe) {
        case .success(let entry): syringe = entry
        case .failure(let refusal): return refusal
        }
        program.syringeVolume = request.volume
        program.syringe = syringe
        record.program = program
        session = record
        ledger.changeSyringe(concentration: request.concentration)
        // Set again even for the same kind: the new barrel is confirmed against the pump before resume.
        setPumpSyringe(syringe, at: now, into: &output)
        return nil
    }

    /// Links up and continuous vitals fresh: what delivering needs before it may begin.
    func deliveryPrecondition(at now: MonotonicInstant) -> CoreError? {
        guard isPumpLinkUp else { return CoreError(code: "pump-link-down", message: "the pump is not connected") }
        guard isMonitorLinkUp else { return CoreError(code: "monitor-link-down", message: "the monitor is not connected") }
        guard !vitalsAreStale(at: now) else {
            return CoreError(code: "vitals-stale", message: "no recent trustworthy reading from the monitor")
        }
        for condition in AlarmCondition.all {
            guard let alarm = alarms.state(of: condition) else { continue }
            if configuration.interlock.demandsPause(alarm, consecutiveHighReadings: 2) {
                return CoreError(code: "alarm-active", message: "\(condition.rawValue) would pause the pump at once")
            }
        }
        return nil
    }

    /// Whether any watched continuous parameter has no trustworthy reading within its maximum age.
    /// Each at its own maximum age (`StaleVitalsPolicy.maximumAge(of:)`), as the alarm judges it.
    func vitalsAreStale(at now: MonotonicInstant) -> Bool {
        for parameter in configuration.staleVitals.parameters {
            guard let age = vitals.age(of: parameter, at: now), age <= configuration.staleVitals.maximumAge(of: parameter)
            else { return true }
        }
        return false
    }

    /// Sets the pump to `flow` and starts it; the ledger and read-back follow.
    mutating func deliver(at flow: MillilitresPerHour, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        setPhaseTarget(at: now, into: &output)
        output.append(.pump(.setRate(flow)))
        output.append(.pump(.start))
        ledger.setFlow(flow)
        supervision.commandSent(running: true, flow: flow, at: now)
        nextDeliveryReport = now
    }

    /// Pauses or stops the pump now. The halt is repeated until a read-back confirms it
    /// (`repeatUnconfirmedHalt`).
    mutating func haltPump(_ command: PumpCommand, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        output.append(.pump(command))
        ledger.setFlow(.zero)
        supervision.haltSent(command, flow: session?.program?.flow ?? .zero, at: now)
        nextDeliveryReport = nil
        reportDelivery(at: now, into: &output)
    }

    /// Ends the infusion: stop, or keep the vein open where the entry allows and `keepVeinOpen` asks.
    mutating func finishInfusion(
        reason: String,
        keepVeinOpen: Bool,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        if keepVeinOpen, let kvo = session?.profile.keepVeinOpenRate {
            setPhaseTarget(keepingVeinOpen: true, at: now, into: &output)
            output.append(.pump(.setRate(kvo)))
            // Started afresh even when running: the pump may have stopped at the dose's own target.
            output.append(.pump(.start))
            ledger.setFlow(kvo)
            supervision.commandSent(running: true, flow: kvo, at: now)
            session?.infusionEndedAt = now
            transition(to: .complete, reason: reason, at: now, into: &output)
        } else {
            haltPump(.stop, at: now, into: &output)
            session?.infusionEndedAt = now
            // Complete only once the pump is known to be still (`completeIfStopConfirmed`).
            if state == .infusing { cancelBolus(leavingFor: .complete, at: now, into: &output) }
            pendingCompletion = reason
        }
    }

    /// Moves a stopping session to complete once a read-back confirms the pump stopped.
    mutating func completeIfStopConfirmed(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let reason = pendingCompletion, supervision.isHaltConfirmed, state == .infusing || state == .paused
        else { return }
        transition(to: .complete, reason: reason, at: now, into: &output)
    }

    /// Whether the program's target dose has been delivered.
    func deliveredTarget(_ record: SessionRecord) -> Bool {
        guard let target = record.program?.targetDose else { return false }
        return ledger.deliveredDose >= target
    }
}
