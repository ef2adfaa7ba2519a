// The built-in ketamine entries. Every number cites its row of the summary table in
// docs/CLINICAL-BASIS.md §0 ("row N") or the section it comes from; [D] marks a design
// default, not a clinical guideline. The responsible clinician configures the real values.

extension DrugProfile {
    /// Syringe concentrations: 1, 2 or 10 mg/mL (row 11, syringe practice). 100 mg/mL never goes IV
    /// undiluted (row 10), so it is not offered.
    static let ketamineSyringeConcentrations: [MilligramsPerMillilitre] = [.init(1), .init(2), .init(10)]

    /// Weight bounds. No published source gives numbers (docs/CLINICAL-BASIS.md §1.1); §6.3 only requires
    /// soft and hard weight bounds. [D] of this module: soft 40–150 kg, hard 30–250 kg.
    static let adultWeightLimits = LimitBand(hardMinimum: 30, softMinimum: 40, softMaximum: 150, hardMaximum: 250)

    /// The weights the absolute (mg/h, mg) ceilings are derived at. [D] of this module; no source gives
    /// absolute ceilings for ketamine (ISMP: the organisation must set a maximum, §2.2). Soft: the
    /// per-kilogram soft limit at a 100 kg patient, so a weight in pounds read as kilograms (anyone
    /// from about 45 kg, whose pounds pass the 150 kg soft weight bound) meets a prompt, at the price
    /// of one confirmation for patients over 100 kg. Hard: the per-kilogram hard limit at the soft
    /// weight maximum (150 kg), which no patient within the weight bounds reaches at the hard per-kg limit.
    static let softCeilingReferenceWeight = 100.0
    static let hardCeilingReferenceWeight = 150.0

    /// Predicted plasma concentration: soft 300, hard 500 ng/mL (row 35, derived from the bands of row 34).
    static let ketamineConcentrationCeiling = LimitBand(softMaximum: 300, hardMaximum: 500)

    /// Up-titration: steps of at most 25 % of the current rate or 0.25 mg/kg/h, at least 5 minutes
    /// between increases (§6.3 "Out-of-limit change" [D]; soft, overridable with a reason).
    static let ketamineTitrationLimits = TitrationLimits(
        maximumStepFraction: 0.25, maximumStepDoseRate: 0.25, minimumSecondsBetweenIncreases: 300)

    /// The nurse's observations (docs/CLINICAL-BASIS.md §8.8 [D]; no source fixes an interval for MOAA/S, §8.1):
    /// - while infusing, MOAA/S and nausea every 10 min, the cadence large clinic series keep for blood pressure
    ///   during the infusion (row 13), which sees sedation's onset at about 15 min and its peak at 30–45 min;
    /// - CADSS-6 once, within 10 min of the end: dissociation peaks at about 40 min, the end of the standard
    ///   infusion, where trials rate it and where the esketamine REMS anchor checks the patient (§8.2, §8.3);
    /// - after the infusion, MOAA/S and nausea every 15 min, the cadence the same series keep after it (row 13);
    /// - discharge needs MOAA/S 5, sedation resolved and awareness back (row 19, §8.1), and nausea at most
    ///   mild, "minimal nausea" in sedation discharge criteria (§8.7).
    static let ketamineObservationSchedule = ObservationSchedule(
        rules: [
            ObservationRule(scales: ["moaas", "nausea"], phase: .infusion, firstAfterSeconds: 600, everySeconds: 600),
            ObservationRule(scales: ["cadss6"], phase: .afterInfusion, firstAfterSeconds: 600),
            ObservationRule(scales: ["moaas", "nausea"], phase: .afterInfusion, firstAfterSeconds: 900, everySeconds: 900),
        ],
        dischargeScores: [DischargeScore(scale: "moaas", minimum: 5), DischargeScore(scale: "nausea", maximum: 1)])

    /// Limits across a patient's sessions (docs/CLINICAL-BASIS.md §8.9 [D]; no source sets a maximum frequency,
    /// §8.4):
    /// - interval: soft 40 h, so the three-a-week induction (Murrough 2013) and twice-weekly schedules pass at any
    ///   time of day while sessions on consecutive days prompt; hard 12 h, since no series described gives two
    ///   infusions on one day, and a second intake that soon is more likely the wrong patient or a duplicate entry;
    /// - sessions in a rolling 21 days: soft 6, the induction of about six infusions within 21 days (§8.4); no
    ///   hard maximum, as no source gives one;
    /// - weight change: soft 10 % of the last session's weight, more than a series of weeks explains, and far
    ///   less than a weight entered in the wrong unit (2.2 times, §6.1).
    static let ketamineSeriesLimits = SeriesLimits(
        intervalHours: LimitBand(hardMinimum: 12, softMinimum: 40),
        sessionsInWindow: LimitBand(softMaximum: 6),
        windowDays: 21,
        weightChangeFraction: LimitBand(softMaximum: 0.1))

    /// Ketamine for depression and PTSD: 0.5 mg/kg over 40 min is the standard (rows 1–3).
    public static let ketaminePsychiatric = DrugProfile(
        id: "ketamine-psychiatric",
        drugName: "ketamine",
        displayName: "Ketamine, psychiatric sub-anaesthetic",
        // 0.5 mg/kg over 40 min is stated as 0.75 mg/kg/h (row 1).
        doseRateUnit: .milligramsPerKilogramPerHour,
        concentrations: ketamineSyringeConcentrations,
        // Soft max 0.75 mg/kg/h, hard max 1.5 mg/kg/h (row 4).
        rateLimits: LimitBand(softMaximum: 0.75, hardMaximum: 1.5),
        // [D]: row 4's rates at the reference weights: soft 75 mg/h, hard 225 mg/h.
        absoluteRateLimits: LimitBand(
            softMaximum: 0.75 * softCeilingReferenceWeight, hardMaximum: 1.5 * hardCeilingReferenceWeight),
        // Per-session cumulative soft max 0.75 mg/kg, hard max 1.0 mg/kg (row 4).
        sessionDoseLimits: LimitBand(softMaximum: 0.75, hardMaximum: 1.0),
        // [D]: row 4's session doses at the reference weights: soft 75 mg, hard 150 mg.
        absoluteSessionDoseLimits: LimitBand(
            softMaximum: 0.75 * softCeilingReferenceWeight, hardMaximum: 1.0 * hardCeilingReferenceWeight),
        // No bolus (row 4).
        bolusLimits: nil,
        titrationLimits: ketamineTitrationLimits,
        weightLimits: adultWeightLimits,
        // Stop at the end of the infusion rather than KVO (row 25; §3.1 [D]: never assume KVO is safe).
        keepVeinOpenRate: nil,
        predictedConcentrationLimits: ketamineConcentrationCeiling,
        // Kamp 2020 is the recommended adult model (row 32, §5.1 [D]).
        pharmacokinetics: .kamp,
        observationSchedule: ketamineObservationSchedule,
        seriesLimits: ketamineSeriesLimits
    )

    /// Ketamine for chronic pain and CRPS (rows 5–8).
    public static let ketamineChronicPain = DrugProfile(
        id: "ketamine-chronic-pain",
        drugName: "ketamine",
        displayName: "Ketamine, chronic pain / CRPS",
        doseRateUnit: .milligramsPerKilogramPerHour,
        concentrations: ketamineSyringeConcentrations,
        // Soft max 1.0 mg/kg/h, hard max 2.0 mg/kg/h (row 8).
        rateLimits: LimitBand(softMaximum: 1.0, hardMaximum: 2.0),
        // [D]: row 8's rates at the reference weights: soft 100 mg/h, hard 300 mg/h.
        absoluteRateLimits: LimitBand(
            softMaximum: 1.0 * softCeilingReferenceWeight, hardMaximum: 2.0 * hardCeilingReferenceWeight),
        // No cumulative cap is cited for pain. [D] derived here: the soft and hard rate limits of row 8
        // held for the 4-h sessions of row 6, i.e. 4 and 8 mg/kg.
        sessionDoseLimits: LimitBand(softMaximum: 4.0, hardMaximum: 8.0),
        // Soft 200 mg: the top of the 100–200 mg outpatient sessions reported for CRPS (§1.3, the source
        // of row 9). Hard [D]: the per-kg hard cap above at the hard reference weight, 1200 mg.
        absoluteSessionDoseLimits: LimitBand(softMaximum: 200, hardMaximum: 8.0 * hardCeilingReferenceWeight),
        // Bolus hard max 0.35 mg/kg (row 8, from row 5).
        bolusLimits: LimitBand(hardMaximum: 0.35),
        titrationLimits: ketamineTitrationLimits,
        weightLimits: adultWeightLimits,
        // KVO at ≤ 0.1 mL/h where KVO is used for ketamine (row 25).
        keepVeinOpenRate: MillilitresPerHour(0.1),
        predictedConcentrationLimits: ketamineConcentrationCeiling,
        pharmacokinetics: .kamp,
        // [D]: the sources are psychiatric (§8.8); the pain entry keeps the same schedule.
        observationSchedule: ketamineObservationSchedule,
        // [D]: likewise the series limits (§8.9); pain protocols vary more, and a clinic sets its own.
        seriesLimits: ketamineSeriesLimits
    )

    /// The built-in entries, most restrictive first.
    public static let builtIns: [DrugProfile] = [ketaminePsychiatric, ketamineChronicPain]

    /// The built-in entry with `id`, if there is one.
    public static func builtIn(id: String) -> DrugProfile? {
        builtIns.first { $0.id == id }
    }
}
