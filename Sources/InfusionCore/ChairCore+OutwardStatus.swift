extension ChairCore {
    /// The chair as displays show it, at the last instant handled (`OutwardChairStatus`).
    ///
    /// Allocates (the alarm list, the observations due): the control loop builds it only after an input that
    /// decided something, beside the checkpoint, never on a tick that changes nothing.
    public var outwardStatus: OutwardChairStatus {
        let now = clock ?? .zero
        let program = session?.program
        return OutwardChairStatus(
            state: state,
            session: session.map(SessionOutline.init),
            takenInAt: session?.takenInAt,
            deliveredDose: ledger.deliveredDose,
            commandedFlow: ledger.flow,
            doseRate: session.flatMap { record in
                program.map {
                    DoseRate.from(ledger.flow, in: record.profile.doseRateUnit, weight: record.weight, concentration: $0.concentration)
                }
            },
            deliveryUncertainty: publishedUncertainty,
            predictedConcentration: session == nil ? nil : predictedConcentration,
            bloodPressure: session == nil ? nil : latestCuffPressure,
            syringeRemainingMillilitres: syringeRemainingMillilitres,
            alarms: alarms.alarms.sorted {
                $0.priority != $1.priority ? $0.priority > $1.priority : $0.condition.rawValue < $1.condition.rawValue
            },
            audioPausedUntil: alarms.audioPausedUntil,
            estimatedCompletion: estimatedCompletion(at: now),
            bolusEndsAt: session?.bolus?.endsAt,
            confirmingCuffReading: confirmingCuffReading,
            observations: observations,
            dueObservations: dueObservations(at: now),
            missingDischargeCriteria: missingDischargeCriteria(at: now),
            medications: medications,
            time: now)
    }

    /// When the programmed dose is in at the flow now commanded; nil without a target dose, while the pump
    /// is still, or while delivery is uncertain (a completion time for a flow nobody confirms would be a guess).
    private func estimatedCompletion(at now: MonotonicInstant) -> MonotonicInstant? {
        guard let program = session?.program, let target = program.targetDose, state == .infusing,
            !publishedUncertainty.isUncertain, ledger.flow.value > 0, program.concentration.value > 0
        else { return nil }
        let remaining = max(target.value - ledger.deliveredDose.value, 0)
        let hours = remaining / (ledger.flow.value * program.concentration.value)
        guard hours.isFinite else { return nil }
        return now + .nanoseconds(Int64((hours * 3_600 * 1e9).rounded()))
    }
}
