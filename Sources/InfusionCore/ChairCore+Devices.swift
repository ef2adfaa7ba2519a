extension ChairCore {
    /// A pump read-back: checked against what was commanded, its volume counter into the ledger, and
    /// a delivery report published with it.
    mutating func receive(_ observation: PumpObservation, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        if pendingRestart != nil { reconcileAfterRestart(observation, at: now, into: &output) }
        supervision.observe(observation, policy: configuration.pumpSupervision)
        guard session?.program != nil, state != .programmed else { return }
        if let infused = observation.infusedMillilitres { ledger.recordPumpCounter(infused) }
        if pumpInUse { reportDelivery(at: now, into: &output) }
    }
}
