/// What observers show of a session beside its state: the patient's weight, the library entry, and
/// what was ordered. Carried on every session transition, so a display never has to ask the core.
public struct SessionOutline: Hashable, Sendable, Codable {
    /// The patient's identifier as entered at intake (the clinic's record number): what an HL7 bridge sends as
    /// PID-3 and a central station masks unless configured to show it.
    public var patientID: String
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
    /// How intake screened the patient and what it found (docs/CLINICAL-BASIS.md §1.9); nil in outlines
    /// recorded before it was kept.
    public var screening: ScreeningSummary?
    /// The start confirmed above the pre-start pressure, if there was one (§8.3).
    public var preStartPressureOverride: PreStartPressureOverride?

    public init(_ record: SessionRecord) {
        patientID = record.intake.patientID
        profileID = record.profile.id
        drugName = record.profile.drugName
        weight = record.weight
        enteredWeight = record.intake.enteredWeight
        weightUnit = record.intake.weightUnit
        doseRateUnit = record.profile.doseRateUnit
        concentration = record.program?.concentration
        programmedDose = record.program?.targetDose
        predictedConcentrationLimits = record.profile.predictedConcentrationLimits
        screening = ScreeningSummary(record.intake)
        preStartPressureOverride = record.preStartPressureOverride
    }

    private enum CodingKeys: String, CodingKey {
        case patientID, profileID, drugName, weight, enteredWeight, weightUnit, doseRateUnit, concentration, programmedDose
        case predictedConcentrationLimits
        case screening, preStartPressureOverride
    }

    /// Reads outlines recorded before they carried the patient's identifier (it is then empty).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patientID = try c.decode(.patientID, default: "")
        profileID = try c.decode(String.self, forKey: .profileID)
        drugName = try c.decode(String.self, forKey: .drugName)
        weight = try c.decode(Kilograms.self, forKey: .weight)
        enteredWeight = try c.decode(Double.self, forKey: .enteredWeight)
        weightUnit = try c.decode(WeightUnit.self, forKey: .weightUnit)
        doseRateUnit = try c.decode(DoseRateUnit.self, forKey: .doseRateUnit)
        concentration = try c.decodeIfPresent(MilligramsPerMillilitre.self, forKey: .concentration)
        programmedDose = try c.decodeIfPresent(Milligrams.self, forKey: .programmedDose)
        predictedConcentrationLimits = try c.decode(LimitBand.self, forKey: .predictedConcentrationLimits)
        screening = try c.decodeIfPresent(ScreeningSummary.self, forKey: .screening)
        preStartPressureOverride = try c.decodeIfPresent(PreStartPressureOverride.self, forKey: .preStartPressureOverride)
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
