/// Everything clinical the core decides with, each field defaulting to its cited value so the
/// daemon's JSON configuration may override any subset (missing keys keep the defaults).
public struct CoreConfiguration: Hashable, Sendable, Codable {
    public var library: DrugLibrary
    public var vitalAlarmRules: [VitalAlarmRule]
    public var alarms: AlarmPolicy
    public var interlock: InterlockPolicy
    public var staleVitals: StaleVitalsPolicy
    public var bloodPressureCadence: BloodPressureCadence
    public var pumpSupervision: PumpSupervisionPolicy
    public var reconciliation: ReconciliationPolicy
    public var recovery: RecoveryPolicy
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
    /// The shortest time over which a bolus is pushed: 60 s, the ketamine label's minimum for any IV push
    /// (docs/CLINICAL-BASIS.md row 12).
    public var minimumBolusSeconds: Double

    public init(
        library: DrugLibrary = .builtIn,
        vitalAlarmRules: [VitalAlarmRule] = VitalAlarmRule.defaults,
        alarms: AlarmPolicy = AlarmPolicy(),
        interlock: InterlockPolicy = InterlockPolicy(),
        staleVitals: StaleVitalsPolicy = StaleVitalsPolicy(),
        bloodPressureCadence: BloodPressureCadence = BloodPressureCadence(),
        pumpSupervision: PumpSupervisionPolicy = PumpSupervisionPolicy(),
        reconciliation: ReconciliationPolicy = ReconciliationPolicy(),
        recovery: RecoveryPolicy = RecoveryPolicy(),
        predictionHorizonSeconds: Double = 3_600,
        deliveryReportIntervalSeconds: Double = 10,
        requireBaselineBloodPressure: Bool = true,
        baselineBloodPressureMaximumAgeSeconds: Double = 900,
        minimumBolusSeconds: Double = 60
    ) {
        self.library = library
        self.vitalAlarmRules = vitalAlarmRules
        self.alarms = alarms
        self.interlock = interlock
        self.staleVitals = staleVitals
        self.bloodPressureCadence = bloodPressureCadence
        self.pumpSupervision = pumpSupervision
        self.reconciliation = reconciliation
        self.recovery = recovery
        self.predictionHorizonSeconds = predictionHorizonSeconds
        self.deliveryReportIntervalSeconds = deliveryReportIntervalSeconds
        self.requireBaselineBloodPressure = requireBaselineBloodPressure
        self.baselineBloodPressureMaximumAgeSeconds = baselineBloodPressureMaximumAgeSeconds
        self.minimumBolusSeconds = minimumBolusSeconds
    }

    enum CodingKeys: String, CodingKey {
        case library, vitalAlarmRules, alarms, interlock, staleVitals, bloodPressureCadence, pumpSupervision
        case reconciliation, recovery
        case predictionHorizonSeconds, deliveryReportIntervalSeconds, requireBaselineBloodPressure, minimumBolusSeconds
        case baselineBloodPressureMaximumAgeSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = CoreConfiguration()
        library = try c.decode(.library, default: base.library)
        vitalAlarmRules = try c.decode(.vitalAlarmRules, default: base.vitalAlarmRules)
        alarms = try c.decode(.alarms, default: base.alarms)
        interlock = try c.decode(.interlock, default: base.interlock)
        staleVitals = try c.decode(.staleVitals, default: base.staleVitals)
        bloodPressureCadence = try c.decode(.bloodPressureCadence, default: base.bloodPressureCadence)
        pumpSupervision = try c.decode(.pumpSupervision, default: base.pumpSupervision)
        reconciliation = try c.decode(.reconciliation, default: base.reconciliation)
        recovery = try c.decode(.recovery, default: base.recovery)
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
    }

    /// Problems that make the configuration unusable; the daemon should refuse to start with any.
    public var inconsistencies: [String] {
        var problems = library.inconsistencies
        var seen: Set<AlarmCondition> = []
        for rule in vitalAlarmRules {
            if rule.condition.category != .physiological { problems.append("\(rule.condition) is not physiological") }
            if !seen.insert(rule.condition).inserted { problems.append("two vital rules for \(rule.condition)") }
        }
        if !(alarms.audioPauseSeconds > 0) { problems.append("audio pause must be positive") }
        if !(staleVitals.maximumAgeSeconds > 0) { problems.append("stale-vitals age must be positive") }
        if !(minimumBolusSeconds > 0) { problems.append("the minimum bolus time must be positive") }
        if !(baselineBloodPressureMaximumAgeSeconds > 0) { problems.append("the baseline pressure age must be positive") }
        if let cycle = bloodPressureCadence.cycleSeconds, !(cycle > 0 && bloodPressureCadence.overdueAfterCycles >= 1) {
            problems.append("the cuff cycle must be positive and the overdue factor at least 1")
        }
        return problems
    }
}

/// Which continuous vital signs must stay fresh while infusing (docs/CLINICAL-BASIS.md §1.7: no valid SpO2 for
/// ≥ 30 s while infusing is a HIGH condition that pauses the pump).
public struct StaleVitalsPolicy: Hashable, Sendable, Codable {
    public var parameters: [VitalParameter]
    public var maximumAgeSeconds: Double

    public init(parameters: [VitalParameter] = [.spo2], maximumAgeSeconds: Double = 30) {
        self.parameters = parameters
        self.maximumAgeSeconds = maximumAgeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case parameters, maximumAgeSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parameters = try c.decode(.parameters, default: [.spo2])
        maximumAgeSeconds = try c.decode(.maximumAgeSeconds, default: 30)
    }
}

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
