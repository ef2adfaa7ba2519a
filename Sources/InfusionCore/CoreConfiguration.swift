/// Everything clinical the core decides with, each field defaulting to its cited value so the
/// daemon's JSON configuration may override any subset (missing keys keep the defaults).
public struct CoreConfiguration: Hashable, Sendable, Codable {
    public var library: DrugLibrary
    /// The syringes programs may name, and each chair's default (`SyringeLibrary`).
    public var syringes: SyringeLibrary
    public var vitalAlarmRules: [VitalAlarmRule]
    public var alarms: AlarmPolicy
    public var interlock: InterlockPolicy
    public var staleVitals: StaleVitalsPolicy
    public var monitorAlarmPriorities: MonitorAlarmPriorities
    public var heartRateAgreement: HeartRateAgreementPolicy
    public var bloodPressureCadence: BloodPressureCadence
    public var pumpSupervision: PumpSupervisionPolicy
    public var reconciliation: ReconciliationPolicy
    public var recovery: RecoveryPolicy
    /// The scales the nurse scores the patient on (`observe`) and profiles schedule: the built-ins of
    /// docs/CLINICAL-BASIS.md §8, each replaceable by a configured entry with its id, and the clinic's own.
    public var observationScales: [ObservationScale]
    /// The clinic's as-needed medications `medicate` accepts, with their usual single doses: the built-ins of
    /// docs/CLINICAL-BASIS.md §8.9 unless configured; a configured list replaces them whole.
    public var asNeededMedications: [AsNeededMedication] = AsNeededMedication.builtIns
    /// What a contraindication found by intake's structured screening does (docs/CLINICAL-BASIS.md §1.9).
    public var intakeScreening = IntakeScreeningPolicy()
    /// The cuff pressure above which `start` needs an override with a reason (docs/CLINICAL-BASIS.md §8.3).
    public var preStartBloodPressure = PreStartPressurePolicy()
    /// Horizon of the predicted-concentration ceiling check when a program has no target dose.
    /// [D] of this module: 60 min, a little over the standard 40-min session (row 3).
    public var predictionHorizonSeconds: Double
    /// Interval of delivery reports (dose, volumes, predicted concentration) while delivering. A
    /// display cadence, not a clinical number.
    public var deliveryReportIntervalSeconds: Double
    /// Refuse to start without a pre-infusion cuff pressure, the baseline discharge needs
    /// (docs/CLINICAL-BASIS.md §1.6, §1.8).
    public var requireBaselineBloodPressure: Bool
    /// The oldest a baseline cuff pressure may be at `start`: 900 s, 1.5 × the slowest cuff cycle (10 min)
    /// of docs/CLINICAL-BASIS.md §1.6, the age past which §1.6 calls a pressure stale.
    public var baselineBloodPressureMaximumAgeSeconds: Double
    /// How long before the syringe would run empty at the current flow `pumpNearEmpty` is raised, from
    /// the volume loaded minus what has left it: 5 min, [D] within the 1–30 min pre-alarm pumps offer
    /// for near end of infusion (docs/CLINICAL-BASIS.md §3.1).
    public var syringeNearEmptyMinutes: Double
    /// How long past the end of a push the pump may keep running on its own bolus target, so the
    /// daemon's return to the program's flow (sent at the end of the push) arrives before the pump stops
    /// itself. [D] 5 s: several control ticks and a pump exchange with its retry (CLINICAL-BASIS row 30).
    public var bolusTargetGraceSeconds: Double
    /// Whether this chair's pump stops by itself when the host falls silent (NE-1000 safe mode). Not read
    /// from the JSON: the daemon sets it per chair from the pump's family (Harvard pumps never do,
    /// docs/DEVICE-BASIS.md §3).
    public var pumpStopsWhenHostFallsSilent: Bool
    /// Allow a bolus on a pump without a pump-side stop. Off by default: a bolus runs many times the
    /// program's flow, and on such a pump only its target volume (the push plus a few seconds) bounds it
    /// if infusiond dies mid-push; a site that accepts that risk turns this on.
    public var allowBolusWithoutPumpSideStop: Bool
    /// The shortest time over which a bolus is pushed: 60 s, the ketamine label's minimum for any IV push
    /// (docs/CLINICAL-BASIS.md row 12).
    public var minimumBolusSeconds: Double
    /// The observation scales that measure the treatment's effect rather than the session's course: `course`
    /// gives each session's score on them and `infusionctl course` draws their trend across sessions. Default:
    /// PHQ-9, QIDS-SR16 and pain NRS, the scores clinics track across infusions (docs/CLINICAL-BASIS.md §8.6, §8.9).
    public var outcomeScales: [String] = ["phq9", "qidsSR16", "painNRS"]

    public init(
        library: DrugLibrary = .builtIn,
        syringes: SyringeLibrary = .builtIn,
        vitalAlarmRules: [VitalAlarmRule] = VitalAlarmRule.defaults,
        alarms: AlarmPolicy = AlarmPolicy(),
        interlock: InterlockPolicy = InterlockPolicy(),
        staleVitals: StaleVitalsPolicy = StaleVitalsPolicy(),
        monitorAlarmPriorities: MonitorAlarmPriorities = MonitorAlarmPriorities(),
        heartRateAgreement: HeartRateAgreementPolicy = HeartRateAgreementPolicy(),
        bloodPressureCadence: BloodPressureCadence = BloodPressureCadence(),
        pumpSupervision: PumpSupervisionPolicy = PumpSupervisionPolicy(),
        reconciliation: ReconciliationPolicy = ReconciliationPolicy(),
        recovery: RecoveryPolicy = RecoveryPolicy(),
        observationScales: [ObservationScale] = ObservationScale.builtIns,
        predictionHorizonSeconds: Double = 3_600,
        deliveryReportIntervalSeconds: Double = 10,
        requireBaselineBloodPressure: Bool = true,
        baselineBloodPressureMaximumAgeSeconds: Double = 900,
        minimumBolusSeconds: Double = 60,
        syringeNearEmptyMinutes: Double = 5,
        bolusTargetGraceSeconds: Double = 5,
        pumpStopsWhenHostFallsSilent: Bool = true,
        allowBolusWithoutPumpSideStop: Bool = false
    ) {
        self.library = library
        self.syringes = syringes
        self.vitalAlarmRules = vitalAlarmRules
        self.alarms = alarms
        self.interlock = interlock
        self.staleVitals = staleVitals
        self.monitorAlarmPriorities = monitorAlarmPriorities
        self.heartRateAgreement = heartRateAgreement
        self.bloodPressureCadence = bloodPressureCadence
        self.pumpSupervision = pumpSupervision
        self.reconciliation = reconciliation
        self.recovery = recovery
        self.observationScales = observationScales
        self.predictionHorizonSeconds = predictionHorizonSeconds
        self.deliveryReportIntervalSeconds = deliveryReportIntervalSeconds
        self.requireBaselineBloodPressure = requireBaselineBloodPressure
        self.baselineBloodPressureMaximumAgeSeconds = baselineBloodPressureMaximumAgeSeconds
        self.minimumBolusSeconds = minimumBolusSeconds
        self.syringeNearEmptyMinutes = syringeNearEmptyMinutes
        self.bolusTargetGraceSeconds = bolusTargetGraceSeconds
        self.pumpStopsWhenHostFallsSilent = pumpStopsWhenHostFallsSilent
        self.allowBolusWithoutPumpSideStop = allowBolusWithoutPumpSideStop
    }

    enum CodingKeys: String, CodingKey {
        case library, syringes, vitalAlarmRules, alarms, interlock, staleVitals, monitorAlarmPriorities, bloodPressureCadence
        case pumpSupervision, heartRateAgreement
        case reconciliation, recovery, observationScales
        case asNeededMedications, intakeScreening, preStartBloodPressure
        case predictionHorizonSeconds, deliveryReportIntervalSeconds, requireBaselineBloodPressure, minimumBolusSeconds
        case baselineBloodPressureMaximumAgeSeconds, syringeNearEmptyMinutes, allowBolusWithoutPumpSideStop
        case bolusTargetGraceSeconds
        case outcomeScales
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = CoreConfiguration()
        library = try c.decode(.library, default: base.library)
        syringes = try c.decode(.syringes, default: base.syringes)
        vitalAlarmRules = try c.decode(.vitalAlarmRules, default: base.vitalAlarmRules)
        alarms = try c.decode(.alarms, default: base.alarms)
        interlock = try c.decode(.interlock, default: base.interlock)
        staleVitals = try c.decode(.staleVitals, default: base.staleVitals)
        monitorAlarmPriorities = try c.decode(.monitorAlarmPriorities, default: base.monitorAlarmPriorities)
        heartRateAgreement = try c.decode(.heartRateAgreement, default: base.heartRateAgreement)
        bloodPressureCadence = try c.decode(.bloodPressureCadence, default: base.bloodPressureCadence)
        pumpSupervision = try c.decode(.pumpSupervision, default: base.pumpSupervision)
        reconciliation = try c.decode(.reconciliation, default: base.reconciliation)
        recovery = try c.decode(.recovery, default: base.recovery)
        observationScales = ObservationScale.merging(
            try c.decode(.observationScales, default: []), over: base.observationScales)
        asNeededMedications = try c.decode(.asNeededMedications, default: base.asNeededMedications)
        intakeScreening = try c.decode(.intakeScreening, default: base.intakeScreening)
        preStartBloodPressure = try c.decode(.preStartBloodPressure, default: base.preStartBloodPressure)
        predictionHorizonSeconds = try c.decode(.predictionHorizonSeconds, default: base.predictionHorizonSeconds)
        deliveryReportIntervalSeconds = try c.decode(
            .deliveryReportIntervalSeconds, default: base.deliveryReportIntervalSeconds
        )
        requireBaselineBloodPressure = try c.decode(
            .requireBaselineBloodPressure, default: base.requireBaselineBloodPressure
        )
        minimumBolusSeconds = try c.decode(.minimumBolusSeconds, default: base.minimumBolusSeconds)
        baselineBloodPressureMaximumAgeSeconds = try c.decode(
            .baselineBloodPressureMaximumAgeSeconds, default: base.baselineBloodPressureMaximumAgeSeconds)
        syringeNearEmptyMinutes = try c.decode(.syringeNearEmptyMinutes, default: base.syringeNearEmptyMinutes)
        bolusTargetGraceSeconds = try c.decode(.bolusTargetGraceSeconds, default: base.bolusTargetGraceSeconds)
        pumpStopsWhenHostFallsSilent = base.pumpStopsWhenHostFallsSilent
        allowBolusWithoutPumpSideStop = try c.decode(
            .allowBolusWithoutPumpSideStop, default: base.allowBolusWithoutPumpSideStop)
        outcomeScales = try c.decode(.outcomeScales, default: base.outcomeScales)
    }

    /// Problems that make the configuration unusable; the daemon should refuse to start with any.
    public var inconsistencies: [String] {
        var problems = library.inconsistencies + syringes.inconsistencies
        problems += observationScales.flatMap(\.inconsistencies)
        problems += asNeededMedications.flatMap(\.inconsistencies)
        var medicationIDs: Set<String> = []
        for medication in asNeededMedications where !medicationIDs.insert(medication.id).inserted {
            problems.append("duplicate as-needed medication id \(medication.id)")
        }
        var scaleIDs: Set<String> = []
        for scale in observationScales where !scaleIDs.insert(scale.id).inserted {
            problems.append("duplicate observation scale id \(scale.id)")
        }
        for profile in library.profiles {
            problems += profile.observationSchedule.inconsistencies(owner: profile.id, scales: observationScales)
        }
        for scale in outcomeScales where !scaleIDs.contains(scale) {
            problems.append("outcomeScales: no observation scale \(scale)")
        }
        for condition in [AlarmCondition.monitorLinkLost, .staleVitals] where alarms.technicalPriorities[condition] != nil {
            // Silently ignored otherwise: these take their priority from the session's phase.
            problems.append("\(condition.rawValue) takes its priority from monitorAlarmPriorities, not alarms.technicalPriorities")
        }
        var seen: Set<AlarmCondition> = []
        for rule in vitalAlarmRules {
            if rule.condition.category != .physiological { problems.append("\(rule.condition) is not physiological") }
            if !seen.insert(rule.condition).inserted { problems.append("two vital rules for \(rule.condition)") }
        }
        if !(alarms.audioPauseSeconds > 0) { problems.append("audio pause must be positive") }
        if !(staleVitals.maximumAgeSeconds > 0) { problems.append("stale-vitals age must be positive") }
        if staleVitals.maximumAgeSecondsByParameter.values.contains(where: { !($0 > 0) }) {
            problems.append("every stale-vitals age must be positive")
        }
        if !(minimumBolusSeconds > 0) { problems.append("the minimum bolus time must be positive") }
        if !(syringeNearEmptyMinutes >= 0) { problems.append("the near-empty time must not be negative") }
        if !(bolusTargetGraceSeconds >= 0) { problems.append("the bolus target grace must not be negative") }
        if !(baselineBloodPressureMaximumAgeSeconds > 0) { problems.append("the baseline pressure age must be positive") }
        if let cycle = bloodPressureCadence.cycleSeconds, !(cycle > 0 && bloodPressureCadence.overdueAfterCycles >= 1) {
            problems.append("the cuff cycle must be positive and the overdue factor at least 1")
        }
        return problems
    }
}

/// Which vital signs must stay fresh, and how fresh (docs/CLINICAL-BASIS.md §1.7: no valid SpO2 for
/// ≥ 30 s while infusing is a HIGH condition that pauses the pump; §6.3: no decision on stale values).
///
/// Each parameter is judged on its own age. `parameters` must report from intake on and fresh before
/// `start`; every other continuous parameter a vital alarm rule uses is watched from its first
/// trustworthy reading after intake (a monitor without ECG is not stale for lacking it, but an ECG that
/// stops is). Cuff pressures are intermittent and have their own cadence (`bloodPressureOverdue`).
public struct StaleVitalsPolicy: Hashable, Sendable, Codable {
    /// Parameters required from intake on (default SpO2, §1.7).
    public var parameters: [VitalParameter]
    /// Oldest a reading may be: 30 s (§1.7, stated for SpO2). [D]: the same for the other continuous
    /// parameters, which §1.6 expects at least every 1–2 s.
    public var maximumAgeSeconds: Double
    /// A different oldest age for some parameters, in seconds; absent ones take `maximumAgeSeconds`.
    public var maximumAgeSecondsByParameter: [VitalParameter: Double]

    public init(
        parameters: [VitalParameter] = [.spo2], maximumAgeSeconds: Double = 30,
        maximumAgeSecondsByParameter: [VitalParameter: Double] = [:]
    ) {
        self.parameters = parameters
        self.maximumAgeSeconds = maximumAgeSeconds
        self.maximumAgeSecondsByParameter = maximumAgeSecondsByParameter
    }

    enum CodingKeys: String, CodingKey {
        case parameters, maximumAgeSeconds, maximumAgeSecondsByParameter
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = StaleVitalsPolicy()
        parameters = try c.decode(.parameters, default: base.parameters)
        maximumAgeSeconds = try c.decode(.maximumAgeSeconds, default: base.maximumAgeSeconds)
        maximumAgeSecondsByParameter = try c.decode(.maximumAgeSecondsByParameter, default: [:])
    }

    /// The oldest a reading of `parameter` may be.
    func maximumAge(of parameter: VitalParameter) -> Duration {
        .configured(seconds: maximumAgeSecondsByParameter[parameter] ?? maximumAgeSeconds)
    }
}

/// The priority of the monitor's technical alarms (`monitorLinkLost`, `staleVitals`) in each part of a
/// session, from intake to discharge-ready: a silent monitor is always an alarm, but how soon someone
/// must come depends on whether drug flows (IEC 60601-1-8 priorities by urgency, docs/CLINICAL-BASIS.md §3.2).
public struct MonitorAlarmPriorities: Hashable, Sendable, Codable {
    /// Intake and programmed: no drug given yet, and start is refused without fresh vitals. [D] low
    /// ("awareness", §3.2).
    public var beforeInfusion: AlarmPriority
    /// Infusing, paused, or keeping the vein open: communication loss is HIGH (row 31, §1.7).
    public var whilePumpInUse: AlarmPriority
    /// Complete without flow, recovery and discharge-ready: the drug still acts and vitals are still
    /// watched (§1.8). [D] medium ("prompt response", §3.2), escalating when nobody acknowledges it.
    public var afterInfusion: AlarmPriority

    public init(
        beforeInfusion: AlarmPriority = .low, whilePumpInUse: AlarmPriority = .high, afterInfusion: AlarmPriority = .medium
    ) {
        self.beforeInfusion = beforeInfusion
        self.whilePumpInUse = whilePumpInUse
        self.afterInfusion = afterInfusion
    }

    enum CodingKeys: String, CodingKey {
        case beforeInfusion, whilePumpInUse, afterInfusion
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = MonitorAlarmPriorities()
        beforeInfusion = try c.decode(.beforeInfusion, default: base.beforeInfusion)
        whilePumpInUse = try c.decode(.whilePumpInUse, default: base.whilePumpInUse)
        afterInfusion = try c.decode(.afterInfusion, default: base.afterInfusion)
    }
}

/// When ECG heart rate and pleth pulse rate disagree enough to say so (`heartRateSourcesDisagree`).
/// No source gives numbers; both are [D] of this module.
public struct HeartRateAgreementPolicy: Hashable, Sendable, Codable {
    /// The largest difference that is still agreement, in /min; nil turns the alarm off. [D] 20 /min: the
    /// width of the medium band of the heart-rate rule (110–130 /min, row 17), so a disagreement this large
    /// can put the two sources on different sides of an alarm level.
    public var maximumGapBeatsPerMinute: Double?
    /// How long the gap must hold, both rates fresh, before the alarm. [D] 30 s: three times the heart-rate
    /// condition delay (10 s, §1.7), so a transient artefact does not raise it.
    public var delaySeconds: Double

    public init(maximumGapBeatsPerMinute: Double? = 20, delaySeconds: Double = 30) {
        self.maximumGapBeatsPerMinute = maximumGapBeatsPerMinute
        self.delaySeconds = delaySeconds
    }

    enum CodingKeys: String, CodingKey {
        case maximumGapBeatsPerMinute, delaySeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = HeartRateAgreementPolicy()
        maximumGapBeatsPerMinute = try c.decodeBound(.maximumGapBeatsPerMinute, overriding: base.maximumGapBeatsPerMinute)
        delaySeconds = try c.decode(.delaySeconds, default: base.delaySeconds)
    }
}

extension VitalParameter: CodingKeyRepresentable {}

/// Discharge readiness (docs/CLINICAL-BASIS.md §1.8 [D], §0 rows 18–19).
public struct RecoveryPolicy: Hashable, Sendable, Codable {
    /// Minimum observation after the infusion ends: ≥ 60 min (row 19).
    public var minimumObservationSeconds: Double
    /// Modified Aldrete score needed: ≥ 9 of 10 (row 18).
    public var aldreteThreshold: Int
    /// Cuff pressures must be within ±20 % of the pre-treatment baseline (row 18).
    public var bloodPressureTolerance: Double
    /// How many consecutive post-infusion cuff readings must be within tolerance: the last two (§1.8).
    public var bloodPressureReadingsRequired: Int

    public init(
        minimumObservationSeconds: Double = 3_600,
        aldreteThreshold: Int = 9,
        bloodPressureTolerance: Double = 0.20,
        bloodPressureReadingsRequired: Int = 2
    ) {
        self.minimumObservationSeconds = minimumObservationSeconds
        self.aldreteThreshold = aldreteThreshold
        self.bloodPressureTolerance = bloodPressureTolerance
        self.bloodPressureReadingsRequired = bloodPressureReadingsRequired
    }

    enum CodingKeys: String, CodingKey {
        case minimumObservationSeconds, aldreteThreshold, bloodPressureTolerance, bloodPressureReadingsRequired
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = RecoveryPolicy()
        minimumObservationSeconds = try c.decode(.minimumObservationSeconds, default: base.minimumObservationSeconds)
        aldreteThreshold = try c.decode(.aldreteThreshold, default: base.aldreteThreshold)
        bloodPressureTolerance = try c.decode(.bloodPressureTolerance, default: base.bloodPressureTolerance)
        bloodPressureReadingsRequired = try c.decode(
            .bloodPressureReadingsRequired, default: base.bloodPressureReadingsRequired
        )
    }
}
