extension ChairCore {
    /// Whether time alone can change nothing in this chair: until its next input, a `.tick` at any later
    /// instant appends nothing (the scenario harness of InfusionCoreTests checks this after every input).
    ///
    /// True only while no patient is watched (idle, or discharged), no drug is meant to flow, every halt the
    /// pump was sent is confirmed, no command awaits its confirmation, no alarm is active or latched, no
    /// audio pause runs and no restart awaits reconciliation. The control loop ticks such chairs at its
    /// slower idle period instead of every tick (docs/CORE.md "The control loop"), which is where the CPU
    /// of a clinic's idle chairs went; any input still wakes the loop at once. Allocation-free.
    public var isQuiescent: Bool {
        !state.monitorsPatient
            && ledger.flow.value == 0
            && supervision.isHaltConfirmed
            && supervision.unconfirmedSince == nil
            && !alarms.hasAnyAlarm
            && alarms.audioPausedUntil == nil
            && pendingRestart == nil
            && pendingCompletion == nil
            && !cuffReadingToReport
            && nextDeliveryReport == nil
            && confirmingCuffReading == nil
            && heartRateDisagreementSince == nil
    }
}
