/// One drug-library entry: a drug in one care area with its concentrations, dosing unit and limits
/// (docs/CLINICAL-BASIS.md §2.1–2.3: the daemon is the dose-error-reduction system).
///
/// Decoding is lenient by design: every field missing from the JSON keeps the cited default of the
/// built-in profile with the same `id` (or of the most restrictive built-in, psychiatric, for a new
/// id), so the daemon's configuration can override any subset. Defaults and their sources are in
/// `DrugProfile+Defaults.swift`.
public struct DrugProfile: Hashable, Sendable, Codable {
    /// Stable identifier operators program with ("ketamine-psychiatric").
    public var id: String
    /// The drug, as a syringe label shows it; a syringe change must confirm it.
    public var drugName: String
    /// Care area or indication, for people.
    public var displayName: String
    /// The unit titrations and programs are stated in.
    public var doseRateUnit: DoseRateUnit
    /// Syringe concentrations the entry allows; no other concentration may be programmed.
    public var concentrations: [MilligramsPerMillilitre]
    /// Continuous rate limits in mg/kg/h.
    public var rateLimits: LimitBand
    /// Continuous rate limits in mg/h, checked as well (docs/CLINICAL-BASIS.md §6.3: a rate must pass in every unit).
    public var absoluteRateLimits: LimitBand
    /// Pump flow limits in mL/h, checked as well.
    public var flowLimits: LimitBand
    /// Cumulative session dose limits in mg/kg, across pauses and syringe changes.
    public var sessionDoseLimits: LimitBand
    /// Cumulative session dose limits in mg, whatever the weight: a second line against a wrong weight
    /// (a weight in pounds read as kilograms passes every per-kilogram limit).
    public var absoluteSessionDoseLimits: LimitBand
    /// Bolus limits in mg/kg; nil means boluses are not allowed at all.
    public var bolusLimits: LimitBand?
    /// Soft limits on raising a running rate (step size, time between increases); nil: none.
    public var titrationLimits: TitrationLimits?
    /// Patient weight limits in kg.
    public var weightLimits: LimitBand
    /// The keep-vein-open flow after the programmed dose; nil means stop at the end of the infusion.
    public var keepVeinOpenRate: MillilitresPerHour?
    /// Limits on the predicted plasma concentration, in ng/mL (a prediction, never a measurement).
    public var predictedConcentrationLimits: LimitBand
    /// The pharmacokinetic model the predictions use.
    public var pharmacokinetics: PharmacokineticParameters
    /// The nurse's observations this entry schedules, and the scores discharge needs
    /// (docs/CLINICAL-BASIS.md §8.8).
    public var observationSchedule: ObservationSchedule
    /// Limits across the patient's sessions (interval, sessions in a rolling window, weight change), checked
    /// at intake (docs/CLINICAL-BASIS.md §8.9).
    public var seriesLimits: SeriesLimits

    public init(
        id: String,
        drugName: String,
        displayName: String,
        doseRateUnit: DoseRateUnit,
        concentrations: [MilligramsPerMillilitre],
        rateLimits: LimitBand,
        absoluteRateLimits: LimitBand = .unlimited,
        flowLimits: LimitBand = .unlimited,
        sessionDoseLimits: LimitBand,
        absoluteSessionDoseLimits: LimitBand = .unlimited,
        bolusLimits: LimitBand?,
        titrationLimits: TitrationLimits? = nil,
        weightLimits: LimitBand,
        keepVeinOpenRate: MillilitresPerHour?,
        predictedConcentrationLimits: LimitBand,
        pharmacokinetics: PharmacokineticParameters,
        observationSchedule: ObservationSchedule = .none,
        seriesLimits: SeriesLimits = .unlimited
    ) {
        self.id = id
        self.drugName = drugName
        self.displayName = displayName
        self.doseRateUnit = doseRateUnit
        self.concentrations = concentrations
        self.rateLimits = rateLimits
        self.absoluteRateLimits = absoluteRateLimits
        self.flowLimits = flowLimits
        self.sessionDoseLimits = sessionDoseLimits
        self.absoluteSessionDoseLimits = absoluteSessionDoseLimits
        self.bolusLimits = bolusLimits
        self.titrationLimits = titrationLimits
        self.weightLimits = weightLimits
        self.keepVeinOpenRate = keepVeinOpenRate
        self.predictedConcentrationLimits = predictedConcentrationLimits
        self.pharmacokinetics = pharmacokinetics
        self.observationSchedule = observationSchedule
        self.seriesLimits = seriesLimits
    }

    enum CodingKeys: String, CodingKey {
        case id, drugName, displayName, doseRateUnit, concentrations, rateLimits, absoluteRateLimits, flowLimits
        case sessionDoseLimits, absoluteSessionDoseLimits, bolusLimits, titrationLimits, weightLimits, keepVeinOpenRate, predictedConcentrationLimits
        case pharmacokinetics, observationSchedule
        case seriesLimits
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        let base = DrugProfile.builtIn(id: id) ?? DrugProfile.ketaminePsychiatric
        self.id = id
        drugName = try c.decode(.drugName, default: base.drugName)
        displayName = try c.decode(.displayName, default: base.displayName)
        doseRateUnit = try c.decode(.doseRateUnit, default: base.doseRateUnit)
        concentrations = try c.decode(.concentrations, default: base.concentrations)
        rateLimits = try c.decodeBand(.rateLimits, overriding: base.rateLimits)
        absoluteRateLimits = try c.decodeBand(.absoluteRateLimits, overriding: base.absoluteRateLimits)
        flowLimits = try c.decodeBand(.flowLimits, overriding: base.flowLimits)
        sessionDoseLimits = try c.decodeBand(.sessionDoseLimits, overriding: base.sessionDoseLimits)
        absoluteSessionDoseLimits = try c.decodeBand(
            .absoluteSessionDoseLimits, overriding: base.absoluteSessionDoseLimits)
        // Absent keeps the default; an explicit null forbids boluses; a band enables them.
        if !c.contains(.bolusLimits) {
            bolusLimits = base.bolusLimits
        } else if try c.decodeNil(forKey: .bolusLimits) {
            bolusLimits = nil
        } else {
            bolusLimits = try c.decodeBand(.bolusLimits, overriding: base.bolusLimits ?? .unlimited)
        }
        // As for boluses: absent keeps the default, null turns the titration limits off.
        if !c.contains(.titrationLimits) {
            titrationLimits = base.titrationLimits
        } else if try c.decodeNil(forKey: .titrationLimits) {
            titrationLimits = nil
        } else {
            let unbounded = TitrationLimits(
                maximumStepFraction: nil, maximumStepDoseRate: nil, minimumSecondsBetweenIncreases: nil)
            titrationLimits = try c.decodeTitration(.titrationLimits, overriding: base.titrationLimits ?? unbounded)
        }
        weightLimits = try c.decodeBand(.weightLimits, overriding: base.weightLimits)
        if c.contains(.keepVeinOpenRate), try c.decodeNil(forKey: .keepVeinOpenRate) {
            keepVeinOpenRate = nil
        } else {
            keepVeinOpenRate = try c.decode(.keepVeinOpenRate, default: base.keepVeinOpenRate)
        }
        predictedConcentrationLimits = try c.decodeBand(
            .predictedConcentrationLimits,
            overriding: base.predictedConcentrationLimits
        )
        pharmacokinetics = try c.decode(.pharmacokinetics, default: base.pharmacokinetics)
        // A checkpoint written before schedules existed takes the built-in entry's, like any absent field.
        observationSchedule = try c.decodeSchedule(.observationSchedule, overriding: base.observationSchedule)
        // As for schedules: a checkpoint written before series limits existed takes the built-in entry's.
        seriesLimits = try c.decodeSeriesLimits(.seriesLimits, overriding: base.seriesLimits)
    }

    /// Encodes every field, writing `null` for an absent optional or bound: decoding reads a missing key
    /// as "keep the default", so a checkpointed profile without boluses, titration limits, KVO or one of
    /// its soft limits must say so.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(drugName, forKey: .drugName)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(doseRateUnit, forKey: .doseRateUnit)
        try c.encode(concentrations, forKey: .concentrations)
        try c.encodeExplicitly(rateLimits, forKey: .rateLimits)
        try c.encodeExplicitly(absoluteRateLimits, forKey: .absoluteRateLimits)
        try c.encodeExplicitly(flowLimits, forKey: .flowLimits)
        try c.encodeExplicitly(sessionDoseLimits, forKey: .sessionDoseLimits)
        try c.encodeExplicitly(absoluteSessionDoseLimits, forKey: .absoluteSessionDoseLimits)
        try c.encodeExplicitly(bolusLimits, forKey: .bolusLimits)
        try c.encode(titrationLimits, forKey: .titrationLimits)
        try c.encodeExplicitly(weightLimits, forKey: .weightLimits)
        try c.encode(keepVeinOpenRate, forKey: .keepVeinOpenRate)
        try c.encodeExplicitly(predictedConcentrationLimits, forKey: .predictedConcentrationLimits)
        try c.encode(pharmacokinetics, forKey: .pharmacokinetics)
        try c.encode(observationSchedule, forKey: .observationSchedule)
        try c.encode(seriesLimits, forKey: .seriesLimits)
    }

    /// Whether the entry allows a keep-vein-open flow after the programmed dose.
    public var allowsKeepVeinOpen: Bool { keepVeinOpenRate != nil }

    /// Problems that make this entry unusable; the daemon should refuse to load a library with any.
    public var inconsistencies: [String] {
        var problems: [String] = []
        let bands: [(String, LimitBand?)] = [
            ("rateLimits", rateLimits), ("absoluteRateLimits", absoluteRateLimits), ("flowLimits", flowLimits),
            ("sessionDoseLimits", sessionDoseLimits), ("absoluteSessionDoseLimits", absoluteSessionDoseLimits),
            ("bolusLimits", bolusLimits), ("weightLimits", weightLimits),
            ("predictedConcentrationLimits", predictedConcentrationLimits),
        ]
        for (name, band) in bands {
            for problem in band?.inconsistencies ?? [] { problems.append("\(id).\(name): \(problem)") }
        }
        for problem in titrationLimits?.inconsistencies ?? [] { problems.append("\(id).titrationLimits: \(problem)") }
        for problem in seriesLimits.inconsistencies { problems.append("\(id).\(problem)") }
        if concentrations.isEmpty { problems.append("\(id): no concentration allowed") }
        if concentrations.contains(where: { !$0.isPositiveAndFinite }) { problems.append("\(id): bad concentration") }
        if let kvo = keepVeinOpenRate, !kvo.isPositiveAndFinite { problems.append("\(id): bad keep-vein-open rate") }
        if rateLimits.hardMaximum == nil { problems.append("\(id): no hard maximum rate (ISMP: 10× errors pass)") }
        if sessionDoseLimits.hardMaximum == nil { problems.append("\(id): no hard maximum session dose") }
        return problems
    }
}
