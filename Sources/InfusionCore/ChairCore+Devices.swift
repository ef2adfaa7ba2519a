extension ChairCore {
    /// A pump read-back: checked against what was commanded, its volume counter into the ledger, and
    /// a delivery report published with it. A pump found moving against a halt is halted again.
    mutating func receive(_ observation: PumpObservation, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        if pendingRestart != nil { reconcileAfterRestart(observation, at: now, into: &output) }
        noteSyringeReading(observation, at: now, into: &output)
        supervision.observe(observation, policy: configuration.pumpSupervision)
        repeatUnconfirmedHalt(afterFailure: false, at: now, into: &output)
        completeIfStopConfirmed(at: now, into: &output)
        guard session?.program != nil, state != .programmed else { return }
        if let infused = observation.infusedMillilitres {
            // The driver reads the cleared counter back as zero before anything else is sent.
            if awaitingClearedCounter, infused <= Self.clearedCounterTolerance { awaitingClearedCounter = false }
            if !awaitingClearedCounter { ledger.recordPumpCounter(infused) }
            // A pump stopped at its target is the bound working only when the session's own accounts
            // put the phase's end there too (dose in, cap, syringe empty): otherwise, for a bolus the
            // daemon did not end in time, it is a pump not doing what the core believes.
            if supervision.stoppedAtTarget, state == .infusing,
                session?.bolus != nil || (phaseTarget() ?? infused) - infused > PumpSupervision.targetTolerance
            {
                supervision.flagMismatch()
            }
        }
        if pumpInUse { reportDelivery(at: now, into: &output) }
    }

    /// A cleared counter reads below this, mL: half the pumps' finest printed step (0.001 mL).
    static let clearedCounterTolerance = 0.0005

    /// A command the driver could not confirm: delivery is uncertain until a read-back says
    /// otherwise, and a halt is sent again at once. The read-back that contradicted the command, if
    /// any, is taken first, so the failure stands even where it matched a newer command.
    mutating func receive(_ failure: PumpCommandFailure, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        if let observation = failure.observation { receive(observation, at: now, into: &output) }
        // A diameter that did not land moves no drug: start and resume find it in the next read-back.
        if case .setSyringe = failure.command { return }
        supervision.failed(failure.reason, at: now)
        repeatUnconfirmedHalt(afterFailure: true, at: now, into: &output)
    }

    /// Sends the last halt again while no read-back has confirmed it (ARCHITECTURE.md: "A halt is
    /// repeated until a read-back confirms it").
    mutating func repeatUnconfirmedHalt(afterFailure: Bool, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let interval = Duration.configured(seconds: configuration.pumpSupervision.haltRepeatSeconds)
        guard let halt = supervision.haltToRepeat(at: now, after: afterFailure, repeatInterval: interval) else { return }
        output.append(.pump(halt))
        supervision.haltSent(halt, flow: supervision.expectedFlow, at: now)
    }
}
