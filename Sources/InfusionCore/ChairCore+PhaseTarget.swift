extension ChairCore {
    /// Where the pump must stop by itself in the phase of delivery about to run, on its own infused
    /// counter (issue 16 item 2): so a dead daemon or a lost link can never deliver past the phase.
    ///
    /// The phase may deliver the least of: what is left of the programmed dose; what is left below the
    /// profile's hard session caps (per kg and absolute); what is left in the syringe. A bolus phase may
    /// deliver the push (program and bolus flow over the push time) and
    /// `configuration.bolusTargetGraceSeconds` more of the program's flow, so the daemon's own end of the push lands before the pump stops itself.
    /// Nil when nothing bounds the phase (no cap, no target dose), which the built-in profiles never are.
    /// Keeping the vein open after the dose is in, the programmed dose no longer bounds the phase.
    func phaseTarget(pushing bolus: RunningBolus? = nil, keepingVeinOpen: Bool = false) -> Double? {
        guard let record = session, let program = record.program else { return nil }
        let concentration = program.concentration.value
        let delivered = ledger.deliveredDose.value
        var allowedMilligrams: [Double] = []
        if !keepingVeinOpen, let target = record.program?.targetDose { allowedMilligrams.append(target.value - delivered) }
        if let cap = record.profile.sessionDoseLimits.hardMaximum {
            allowedMilligrams.append(cap * record.weight.value - delivered)
        }
        if let cap = record.profile.absoluteSessionDoseLimits.hardMaximum { allowedMilligrams.append(cap - delivered) }
        var allowedMillilitres = allowedMilligrams.map { $0 / concentration }
        allowedMillilitres.append(program.syringeVolume.value - ledger.volumeThisSyringe.value)
        if let bolus {
            let push = (bolus.endsAt - bolus.startedAt).secondsDouble
            let grace = configuration.bolusTargetGraceSeconds
            allowedMillilitres.append((bolus.flow.value * push + program.flow.value * grace) / 3_600)
        }
        guard let phase = allowedMillilitres.min() else { return nil }
        // The session's first start clears the counter before the pump runs: the phase counts from 0.
        let counter = awaitingClearedCounter ? 0 : (ledger.lastCounter ?? 0)
        return counter + max(0, phase)
    }

    /// Sends the phase's target to the pump (before the start, resume or flow change it bounds).
    mutating func setPhaseTarget(
        pushing bolus: RunningBolus? = nil, keepingVeinOpen: Bool = false, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) {
        guard let target = phaseTarget(pushing: bolus, keepingVeinOpen: keepingVeinOpen) else { return }
        output.append(.pump(.setTarget(infusedMillilitres: target)))
        supervision.targetSent(target)
    }
}
