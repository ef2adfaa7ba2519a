/// How the dosing weight was obtained (docs/CLINICAL-BASIS.md §6.3: weight entered once per session).
public enum WeightBasis: String, Hashable, Sendable, Codable {
    case measured
    case stated
    case ideal
    case adjusted
}

/// The unit a weight was entered in. Intake must name it: a weight in pounds read as kilograms
/// passes every per-kilogram limit at 2.2 times the dose (FDA's reported pump problems include
/// unclear pounds-versus-kilograms units, docs/CLINICAL-BASIS.md §6.1).
public enum WeightUnit: String, Hashable, Sendable, Codable, CaseIterable {
    case kg
    case lb

    /// Kilograms in one of this unit. The international avoirdupois pound is defined as exactly
    /// 0.45359237 kg: a definition of the unit, not a clinical setting.
    public var kilograms: Double {
        switch self {
        case .kg: 1
        case .lb: 0.453_592_37
        }
    }
}

/// Intake: who the patient is, what they weigh (as entered, with its unit), which library entry, and
/// the signed checklist. The core does not judge the contraindication checklist; it refuses to go on
/// without its signature (docs/CLINICAL-BASIS.md §1.9 [D]).
///
/// Coded as the socket receives it: `weight` is the number as entered and `weightUnit` is required,
/// so a request without a unit is refused rather than read as kilograms.
public struct IntakeRequest: Hashable, Sendable, Codable {
    public var patientID: String
    /// The weight as the operator entered it, in `weightUnit`.
    public var enteredWeight: Double
    public var weightUnit: WeightUnit
    public var weightBasis: WeightBasis
    public var profileID: String
    /// Whether the contraindication checklist was completed and signed.
    public var checklistSigned: Bool
    /// Who signed the checklist.
    public var checklistSignedBy: String
    /// Confirmation for a weight outside the soft bounds.
    public var override: LimitOverride?
    /// The patient's earlier sessions, for the profile's cross-session limits (``SeriesLimits``). Filled in by
    /// the shell from the audit store, never read from the request: it is not coded. Nil where no store is kept,
    /// and then the cross-session limits are not checked.
    public var history: PatientHistory?
    /// The structured screening, each contraindication answered; nil when the clinic screens on paper and
    /// the signed checklist stands alone (docs/CLINICAL-BASIS.md §1.9).
    public var screening: IntakeScreening?
    /// Confirmation, with a reason, to take the patient in despite a contraindication the screening found.
    public var screeningOverride: LimitOverride?

    public init(
        patientID: String, weight: Double, weightUnit: WeightUnit, weightBasis: WeightBasis, profileID: String,
        checklistSigned: Bool, checklistSignedBy: String, override: LimitOverride? = nil
    ) {
        self.patientID = patientID
        self.enteredWeight = weight
        self.weightUnit = weightUnit
        self.weightBasis = weightBasis
        self.profileID = profileID
        self.checklistSigned = checklistSigned
        self.checklistSignedBy = checklistSignedBy
        self.override = override
    }

    /// The dosing weight in kilograms, the only weight the core computes with.
    public var weight: Kilograms { Kilograms(enteredWeight * weightUnit.kilograms) }

    enum CodingKeys: String, CodingKey {
        case patientID, enteredWeight = "weight", weightUnit, weightBasis, profileID, checklistSigned
        case checklistSignedBy, override
        case screening, screeningOverride
    }

    /// The socket form: `weightUnit` is required.
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, unitIfAbsent: nil)
    }

    /// `unitIfAbsent` is for stored records only (a checkpoint written before the unit was recorded,
    /// when every weight was in kilograms); a request from a person always names its unit.
    init(from decoder: any Decoder, unitIfAbsent: WeightUnit?) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patientID = try c.decode(String.self, forKey: .patientID)
        enteredWeight = try c.decode(Double.self, forKey: .enteredWeight)
        if let unitIfAbsent {
            weightUnit = try c.decode(.weightUnit, default: unitIfAbsent)
        } else {
            weightUnit = try c.decode(WeightUnit.self, forKey: .weightUnit)
        }
        weightBasis = try c.decode(WeightBasis.self, forKey: .weightBasis)
        profileID = try c.decode(String.self, forKey: .profileID)
        checklistSigned = try c.decode(Bool.self, forKey: .checklistSigned)
        checklistSignedBy = try c.decode(String.self, forKey: .checklistSignedBy)
        override = try c.decodeIfPresent(LimitOverride.self, forKey: .override)
        screening = try c.decodeIfPresent(IntakeScreening.self, forKey: .screening)
        screeningOverride = try c.decodeIfPresent(LimitOverride.self, forKey: .screeningOverride)
    }
}

/// The infusion program: a total dose over a duration, or a rate (with an optional total dose).
public struct ProgramRequest: Hashable, Sendable, Codable {
    public var concentration: MilligramsPerMillilitre
    public var syringeVolume: Millilitres
    /// Total session dose; the infusion completes when it is delivered. Nil: runs until stopped
    /// (the session hard cap still applies).
    public var totalDose: MilligramsPerKilogram?
    /// Duration over which `totalDose` runs; gives the rate when `rate` is absent.
    public var durationMinutes: Double?
    /// An explicit rate in any unit; takes precedence over dose ÷ duration.
    public var rate: DoseRate?
    /// Confirmation with a reason for soft limits the program exceeds.
    public var override: LimitOverride?
    /// The syringe loaded, by syringe-library id; nil keeps the session's syringe (the chair's default
    /// at the first program).
    public var syringe: String?

    public init(
        concentration: MilligramsPerMillilitre, syringeVolume: Millilitres, totalDose: MilligramsPerKilogram? = nil,
        durationMinutes: Double? = nil, rate: DoseRate? = nil, override: LimitOverride? = nil, syringe: String? = nil
    ) {
        self.concentration = concentration
        self.syringeVolume = syringeVolume
        self.totalDose = totalDose
        self.durationMinutes = durationMinutes
        self.rate = rate
        self.override = override
        self.syringe = syringe
    }
}

/// A new syringe, re-confirming drug and concentration against the program.
public struct SyringeChangeRequest: Hashable, Sendable, Codable {
    public var drugName: String
    public var concentration: MilligramsPerMillilitre
    public var volume: Millilitres
    /// The new syringe's syringe-library id; nil: the same kind as before.
    public var syringe: String?

    public init(drugName: String, concentration: MilligramsPerMillilitre, volume: Millilitres, syringe: String? = nil) {
        self.drugName = drugName
        self.concentration = concentration
        self.volume = volume
        self.syringe = syringe
    }
}

/// Modified Aldrete score, five items scored 0–2 (docs/CLINICAL-BASIS.md §1.8).
public struct AldreteScore: Hashable, Sendable, Codable {
    public var activity: Int
    public var respiration: Int
    public var circulation: Int
    public var consciousness: Int
    public var oxygenSaturation: Int

    public init(activity: Int, respiration: Int, circulation: Int, consciousness: Int, oxygenSaturation: Int) {
        self.activity = activity
        self.respiration = respiration
        self.circulation = circulation
        self.consciousness = consciousness
        self.oxygenSaturation = oxygenSaturation
    }

    public var total: Int { activity + respiration + circulation + consciousness + oxygenSaturation }

    /// Whether every item is in 0...2.
    public var isValid: Bool {
        [activity, respiration, circulation, consciousness, oxygenSaturation].allSatisfy { (0...2).contains($0) }
    }
}
