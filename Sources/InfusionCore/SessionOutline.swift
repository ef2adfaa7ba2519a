/// What observers show of a session beside its state: the patient's weight, the library entry, and
/// what was ordered. Carried on every session transition, so a display never has to ask the core.
public struct SessionOutline: Hashable, Sendable, Codable {
    /// The library entry the session runs under ("ketamine-psychiatric").
    public var profileID: String
    public var drugName: String
    /// The dosing weight in kilograms.
    public var weight: Kilograms
    /// The weight as entered at intake, in `weightUnit`, shown beside the kilograms so a unit slip is
    /// visible.
    public var enteredWeight: Double
    public var weightUnit: WeightUnit
    /// The unit the entry states rates in, which delivery reports use for `doseRate`.
    public var doseRateUnit: DoseRateUnit
    /// The programmed syringe concentration; nil before programming.
    public var concentration: MilligramsPerMillilitre?
    /// The session dose at which the infusion completes; nil before programming or when the program
    /// runs until stopped.
    public var programmedDose: Milligrams?
    /// The entry's limits on the predicted plasma concentration (ng/mL): the band a prediction is
    /// judged against.
    public var predictedConcentrationLimits: LimitBand

    public init(_ record: SessionRecord) {
        profileID = record.profile.id
        drugName = record.profile.drugName
        weight = record.weight
        enteredWeight = record.intake.enteredWeight
        weightUnit = record.intake.weightUnit
        doseRateUnit = record.profile.doseRateUnit
        concentration = record.program?.concentration
        programmedDose = record.program?.targetDose
        predictedConcentrationLimits = record.profile.predictedConcentrationLimits
    }
}

/// The latest trustworthy cuff (NIBP) reading the core holds, with the instant it was taken.
public struct CuffPressure: Hashable, Sendable, Codable {
    /// Systolic pressure in mmHg.
    public var systolic: Double
    /// Diastolic pressure in mmHg, when the same cycle measured it.
    public var diastolic: Double?
    /// Mean arterial pressure in mmHg, when the monitor reports it.
    public var mean: Double?
    /// When the systolic reading was taken: the age of the reading is measured from here.
    public var time: MonotonicInstant
}
