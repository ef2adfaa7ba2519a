/// What the core knows about the patient at a chair, from intake to discharge.
public struct SessionRecord: Hashable, Sendable, Codable {
    public var intake: IntakeRequest
    /// A copy of the library entry at intake, so a library reload never changes a running session.
    public var profile: DrugProfile
    public var libraryVersion: String
    /// When the patient was taken in: no reading measured before it belongs to this patient. Nil only in
    /// checkpoints written before it was recorded.
    public var takenInAt: MonotonicInstant?
    public var program: ActiveProgram?
    /// Pre-infusion cuff pressures, taken at start: the baseline for discharge (±20 %, docs/CLINICAL-BASIS.md §1.8).
    public var baselineSystolic: Double?
    public var baselineDiastolic: Double?
    public var infusionStartedAt: MonotonicInstant?
    public var infusionEndedAt: MonotonicInstant?
    /// When the rate was last raised, for the time between increases (docs/CLINICAL-BASIS.md §6.3).
    public var lastRateIncreaseAt: MonotonicInstant?
    /// The bolus being pushed, if any.
    public var bolus: RunningBolus?
    public var aldrete: AldreteScore?
    /// The latest score of each observation scale (by id) since intake (docs/CLINICAL-BASIS.md §8).
    public var observations: [String: RecordedObservation] = [:]
    /// The as-needed medications given at the chair, in the order given (docs/CLINICAL-BASIS.md §8.10).
    public var medications: [AdministeredMedication] = []
    /// The start that went ahead above the pre-start pressure, confirmed with a reason (§8.3).
    public var preStartPressureOverride: PreStartPressureOverride?
    /// The alarms that made the interlock pause; each must be acknowledged before a resume.
    public var pauseCauses: [AlarmCondition]
    /// Delivery passed the cumulative soft session-dose limit and was paused there: `resume` needs an
    /// override with a reason (docs/CLINICAL-BASIS.md §1.1 [D], row 4). Kept in the checkpoint.
    public var heldAtSessionDoseSoftLimit = false
    /// An operator has already confirmed, with a reason, going past the soft session-dose limit (at
    /// `program` or at the resume after the hold): delivery is not held there again.
    public var sessionDoseSoftLimitOverridden = false
    public var dischargedBy: String?

    public var weight: Kilograms { intake.weight }
}

extension SessionRecord {
    enum CodingKeys: String, CodingKey {
        case intake, profile, libraryVersion, takenInAt, program, baselineSystolic, baselineDiastolic
        case infusionStartedAt, infusionEndedAt, lastRateIncreaseAt, bolus, aldrete, pauseCauses
        case heldAtSessionDoseSoftLimit, sessionDoseSoftLimitOverridden, dischargedBy, observations
        case medications, preStartPressureOverride
    }

    /// Reads checkpoints of every version: fields added later take their "nothing happened yet" value
    /// when absent, and an intake written before weights had a unit is in kilograms, the only unit there
    /// was. A daemon that cannot read its last checkpoint refuses to start (`RecoveryPlan`), so an
    /// upgrade must never make an old one unreadable.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intake = try IntakeRequest(from: c.superDecoder(forKey: .intake), unitIfAbsent: .kg)
        profile = try c.decode(DrugProfile.self, forKey: .profile)
        libraryVersion = try c.decode(String.self, forKey: .libraryVersion)
        takenInAt = try c.decodeIfPresent(MonotonicInstant.self, forKey: .takenInAt)
        program = try c.decodeIfPresent(ActiveProgram.self, forKey: .program)
        baselineSystolic = try c.decodeIfPresent(Double.self, forKey: .baselineSystolic)
        baselineDiastolic = try c.decodeIfPresent(Double.self, forKey: .baselineDiastolic)
        infusionStartedAt = try c.decodeIfPresent(MonotonicInstant.self, forKey: .infusionStartedAt)
        infusionEndedAt = try c.decodeIfPresent(MonotonicInstant.self, forKey: .infusionEndedAt)
        lastRateIncreaseAt = try c.decodeIfPresent(MonotonicInstant.self, forKey: .lastRateIncreaseAt)
        bolus = try c.decodeIfPresent(RunningBolus.self, forKey: .bolus)
        aldrete = try c.decodeIfPresent(AldreteScore.self, forKey: .aldrete)
        pauseCauses = try c.decode([AlarmCondition].self, forKey: .pauseCauses)
        heldAtSessionDoseSoftLimit = try c.decode(.heldAtSessionDoseSoftLimit, default: false)
        sessionDoseSoftLimitOverridden = try c.decode(.sessionDoseSoftLimitOverridden, default: false)
        dischargedBy = try c.decodeIfPresent(String.self, forKey: .dischargedBy)
        observations = try c.decode(.observations, default: [:])
        medications = try c.decode(.medications, default: [])
        preStartPressureOverride = try c.decodeIfPresent(PreStartPressureOverride.self, forKey: .preStartPressureOverride)
    }
}

/// The program in force: what the pump is (or will be) set to.
public struct ActiveProgram: Hashable, Sendable, Codable {
    public var concentration: MilligramsPerMillilitre
    public var syringeVolume: Millilitres
    /// The session dose at which the infusion completes; nil runs until stopped or the hard cap.
    public var targetDose: Milligrams?
    /// The flow the pump is set to (titration changes it).
    public var flow: MillilitresPerHour    /// The syringe loaded, whose inside diameter the pump must be set to; nil only in checkpoints
    /// written before the syringe library (then the pump's diameter is not checked).
    public var syringe: SyringeSpec?
}
