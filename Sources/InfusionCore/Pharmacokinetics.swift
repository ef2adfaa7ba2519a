/// Predicted plasma concentration of a drug from its actual delivery history, by the exact solution
/// for piecewise-constant infusion rates (docs/CLINICAL-BASIS.md §5.2, the STANPUMP-style
/// recursive update). Exact for any step length, so the caller may advance at every rate change and
/// at every tick alike; never Euler-integrated.
///
/// A value type of fixed size: advancing it neither allocates nor fails. The result is a model
/// estimate (±30 % between published models, §5.2) and must be shown as a prediction, never as a
/// measurement.
public struct PharmacokineticModel: Hashable, Sendable, Codable {
    /// The parameter set this model was built from.
    public let parameters: PharmacokineticParameters
    /// The patient weight the central volume was scaled to.
    public let weightKilograms: Double
    private let exponents: PharmacokineticExponents
    /// One partial concentration per exponential, in mg/L; their sum is the plasma concentration.
    private var partialConcentrations = SIMD3<Double>(repeating: 0)

    /// A drug-free patient of the given weight.
    ///
    /// - Precondition: `weightKilograms` is positive and finite (the session's weight bounds ensure it).
    public init(parameters: PharmacokineticParameters, weightKilograms: Double) {
        self.parameters = parameters
        self.weightKilograms = weightKilograms
        self.exponents = PharmacokineticExponents(parameters: parameters, weightKilograms: weightKilograms)
    }

    /// Advances the model by `duration` during which the drug ran at a constant rate.
    ///
    /// A negative or non-finite rate or duration counts as zero: the model never runs backwards.
    public mutating func advance(rateMilligramsPerHour: Double, duration: Duration) {
        let minutes = duration.secondsDouble / 60
        guard minutes > 0, minutes.isFinite else { return }
        let rateMilligramsPerMinute = rateMilligramsPerHour.isFinite ? max(0, rateMilligramsPerHour) / 60 : 0
        partialConcentrations = Self.evolve(
            partialConcentrations,
            exponents: exponents,
            rateMilligramsPerMinute: rateMilligramsPerMinute,
            minutes: minutes
        )
    }

    /// Adds a bolus given faster than the model's time resolution (all of it lands in V1 at once).
    public mutating func addBolus(milligrams: Double) {
        guard milligrams.isFinite, milligrams > 0 else { return }
        partialConcentrations += milligrams * exponents.coefficients
    }

    /// The decay rates λᵢ of the unit-bolus response, per minute, fastest first (for inspection and
    /// tests; a two-compartment model reports a placeholder third rate with a zero coefficient).
    public var decayRatesPerMinute: SIMD3<Double> { exponents.lambdas }

    /// The coefficients Aᵢ of the unit-bolus response, in (mg/L) per mg injected.
    public var coefficientsPerLitre: SIMD3<Double> { exponents.coefficients }

    /// The predicted plasma concentration now, in ng/mL.
    public var plasmaConcentrationNanogramsPerMillilitre: Double {
        Self.nanogramsPerMillilitrePerMilligramPerLitre * partialConcentrations.sum()
    }

    /// The highest plasma concentration the model predicts if the drug ran at `rateMilligramsPerHour`
    /// for `horizon` from now, sampled every `sampleInterval` and at the end of the horizon (ng/mL).
    /// Does not change the model. Used for the predicted-concentration ceiling before a titration.
    public func peakPlasmaConcentration(
        ifRunningAt rateMilligramsPerHour: Double,
        for horizon: Duration,
        sampleInterval: Duration = .seconds(60)
    ) -> Double {
        let rate = rateMilligramsPerHour.isFinite ? max(0, rateMilligramsPerHour) / 60 : 0
        let totalMinutes = max(0, horizon.secondsDouble / 60)
        let stepMinutes = max(sampleInterval.secondsDouble / 60, totalMinutes / 1_000, 1e-6)
        var state = partialConcentrations
        var peak = state.sum()
        var elapsed = 0.0
        while elapsed < totalMinutes {
            let step = min(stepMinutes, totalMinutes - elapsed)
            state = Self.evolve(state, exponents: exponents, rateMilligramsPerMinute: rate, minutes: step)
            peak = max(peak, state.sum())
            elapsed += step
        }
        return Self.nanogramsPerMillilitrePerMilligramPerLitre * peak
    }

    /// mg/L equals µg/mL; ×1000 gives ng/mL.
    private static let nanogramsPerMillilitrePerMilligramPerLitre = 1_000.0

    /// The exact update `xᵢ ← xᵢ·e^{−λᵢΔt} + R·(Aᵢ/λᵢ)·(1 − e^{−λᵢΔt})`.
    private static func evolve(
        _ state: SIMD3<Double>,
        exponents: PharmacokineticExponents,
        rateMilligramsPerMinute: Double,
        minutes: Double
    ) -> SIMD3<Double> {
        let decay = exponents.decay(overMinutes: minutes)
        let input = rateMilligramsPerMinute * exponents.coefficients / exponents.lambdas * (1 - decay)
        return state * decay + input
    }

    // The exponents follow from the parameters and weight, so a stored model keeps only what cannot be
    // recomputed: that, and the drug already in the body (for a restart's checkpoint).
    enum CodingKeys: String, CodingKey {
        case parameters, weightKilograms, partialConcentrations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            parameters: try c.decode(PharmacokineticParameters.self, forKey: .parameters),
            weightKilograms: try c.decode(Double.self, forKey: .weightKilograms))
        partialConcentrations = try c.decode(SIMD3<Double>.self, forKey: .partialConcentrations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(weightKilograms, forKey: .weightKilograms)
        try c.encode(partialConcentrations, forKey: .partialConcentrations)
    }
}
