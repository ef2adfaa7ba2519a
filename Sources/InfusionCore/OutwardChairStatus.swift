/// The chair as everything outside the core shows it (status replies, command replies, `top`, the central
/// station): built by the core from its own state at one instant (`ChairCore.outwardStatus`), so no display
/// folds the core's events into a second copy of the chair that could drift from the first.
///
/// Times are the core's monotonic instants; the shell places them on the wall clock and derives the ages.
public struct OutwardChairStatus: Hashable, Sendable, Codable {
    public var state: SessionState
    /// The session beside its state; nil without a patient.
    public var session: SessionOutline?
    /// When the current patient was taken in: a reading measured before it is the previous patient's.
    public var takenInAt: MonotonicInstant?
    /// The dose delivered this session (the larger of the commanded and pump-reported accounts).
    public var deliveredDose: Milligrams
    /// The flow the core has commanded.
    public var commandedFlow: MillilitresPerHour
    /// The same flow in the program's dose unit; nil before a program.
    public var doseRate: DoseRate?
    /// Why delivery is uncertain and since when (`reason` nil: the pump confirms what it delivers).
    public var deliveryUncertainty: DeliveryUncertainty
    /// Predicted plasma concentration (ng/mL): an estimate, never a measurement; nil without a patient.
    public var predictedConcentration: Double?
    /// The latest trustworthy cuff pressure this session.
    public var bloodPressure: CuffPressure?
    /// What is left in the syringe, mL; nil until a program says what is loaded.
    public var syringeRemainingMillilitres: Double?
    /// Every active or latched alarm with its inactivation state, highest priority first.
    public var alarms: [AlarmState]
    /// When the audio pause in force ends by itself; nil when audio is not paused.
    public var audioPausedUntil: MonotonicInstant?
    /// When the programmed dose will be in at the flow now commanded; nil while not delivering, while delivery
    /// is uncertain, or when the program has no target dose.
    public var estimatedCompletion: MonotonicInstant?
    /// When the bolus being pushed ends; nil when none is.
    public var bolusEndsAt: MonotonicInstant?
    /// The blood-pressure alarms waiting for a confirming cuff reading before they pause, and since when the
    /// nurse has been asked for it (`interlock.confirmBloodPressureBeforePause`); nil when none waits.
    public var confirmingCuffReading: ConfirmingCuffReading?
    /// The nurse's latest score per observation scale this session.
    public var observations: [String: RecordedObservation]
    /// The scheduled observations due now.
    public var dueObservations: [DueObservation]
    /// In recovery and discharge-ready: the discharge criteria not yet met (empty when ready); nil otherwise.
    public var missingDischargeCriteria: [MissingDischargeCriterion]?
    /// The as-needed medications given this session, in the order given (docs/CLINICAL-BASIS.md §8.10).
    public var medications: [AdministeredMedication] = []
    /// The instant this status describes.
    public var time: MonotonicInstant

    /// The flow the pump is confirmed to deliver; nil while delivery is uncertain, never the commanded flow or
    /// 0 mL/h then (docs/HAZARDS.md, uncertain delivery).
    public var confirmedFlow: MillilitresPerHour? { deliveryUncertainty.isUncertain ? nil : commandedFlow }

    /// Alarms waiting for a confirming cuff reading (`confirmingCuffReading`).
    public struct ConfirmingCuffReading: Hashable, Sendable, Codable {
        public var causes: [AlarmCondition]
        public var since: MonotonicInstant
    }
}
