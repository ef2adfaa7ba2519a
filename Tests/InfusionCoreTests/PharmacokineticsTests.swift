import InfusionCore
import Testing

/// The reference vectors of docs/CLINICAL-BASIS.md §5.2: 70 kg, 35 mg at a constant
/// 0.875 mg/min (52.5 mg/h) for 40 min, advanced in 10-s steps; plasma concentration in ng/mL,
/// tabulated to the nearest whole number.
struct PharmacokineticReferenceVector: Sendable, CustomTestStringConvertible {
    let parameters: PharmacokineticParameters
    /// (minute, expected ng/mL)
    let expected: [(Int, Double)]
    var testDescription: String { parameters.name }
}

private let referenceVectors = [
    PharmacokineticReferenceVector(
        parameters: .domino,
        expected: [(10, 182), (20, 210), (40, 240), (60, 55), (120, 36)]
    ),
    PharmacokineticReferenceVector(
        parameters: .kamp,
        expected: [(10, 155), (20, 198), (40, 253), (60, 96), (120, 50)]
    ),
    PharmacokineticReferenceVector(
        parameters: .clements,
        expected: [(10, 62), (20, 109), (40, 177), (60, 115), (120, 59)]
    ),
    PharmacokineticReferenceVector(
        parameters: .hijazi,
        expected: [(10, 95), (20, 157), (40, 225), (60, 100), (120, 13)]
    ),
]

@Suite struct PharmacokineticsTests {
    @Test(arguments: referenceVectors)
    func matchesReferenceVector(_ vector: PharmacokineticReferenceVector) {
        var model = PharmacokineticModel(parameters: vector.parameters, weightKilograms: 70)
        var predictions: [Int: Double] = [:]
        let stepSeconds = 10
        for step in 1...(120 * 60 / stepSeconds) {
            let minuteAtStart = Double((step - 1) * stepSeconds) / 60
            let rate = minuteAtStart < 40 ? 52.5 : 0
            model.advance(rateMilligramsPerHour: rate, duration: .seconds(stepSeconds))
            if (step * stepSeconds) % 60 == 0 {
                predictions[step * stepSeconds / 60] = model.plasmaConcentrationNanogramsPerMillilitre
            }
        }
        for (minute, expected) in vector.expected {
            let predicted = predictions[minute] ?? .nan
            // The table is rounded to whole ng/mL.
            #expect(abs(predicted - expected) <= 0.5 + 1e-9, "minute \(minute): \(predicted) vs \(expected)")
        }
    }

    @Test func exponentsMatchTheReferenceForDomino() {
        let model = PharmacokineticModel(parameters: .domino, weightKilograms: 70)
        expectClose(model.decayRatesPerMinute, [1.72424, 0.15151, 0.00605], relative: 1e-3)
        expectClose(model.coefficientsPerLitre, [0.21193, 0.012958, 0.00187], relative: 2e-3)
    }

    @Test func exponentsMatchTheReferenceForKamp() {
        let model = PharmacokineticModel(parameters: .kamp, weightKilograms: 70)
        expectClose(model.decayRatesPerMinute, [0.24409, 0.02444, 0.00377], relative: 1e-3)
        expectClose(model.coefficientsPerLitre, [0.035039, 0.003321, 0.00164], relative: 2e-3)
    }

    @Test func kampRateConstantsMatchTheTable() {
        // docs/CLINICAL-BASIS.md §5.1: k10 0.0560, k12 0.1073, k13 0.0527, k21 0.0479, k31 0.00839 min⁻¹.
        let kamp = PharmacokineticParameters.kamp
        #expect(abs(kamp.k10 - 0.0560) < 5e-5)
        #expect(abs(kamp.k12 - 0.1073) < 5e-5)
        #expect(abs(kamp.k13 - 0.0527) < 5e-5)
        #expect(abs(kamp.k21 - 0.0479) < 5e-5)
        #expect(abs(kamp.k31 - 0.00839) < 5e-6)
    }

    @Test func stepLengthDoesNotChangeTheExactSolution() {
        var fine = PharmacokineticModel(parameters: .kamp, weightKilograms: 82)
        var coarse = fine
        for _ in 0..<(25 * 60) { fine.advance(rateMilligramsPerHour: 61.5, duration: .seconds(1)) }
        coarse.advance(rateMilligramsPerHour: 61.5, duration: .seconds(25 * 60))
        let a = fine.plasmaConcentrationNanogramsPerMillilitre
        let b = coarse.plasmaConcentrationNanogramsPerMillilitre
        #expect(a > 0)
        #expect(abs(a - b) / b < 1e-9)
    }

    @Test func concentrationScalesInverselyWithWeightAtTheSameRate() {
        var light = PharmacokineticModel(parameters: .domino, weightKilograms: 50)
        var heavy = PharmacokineticModel(parameters: .domino, weightKilograms: 100)
        light.advance(rateMilligramsPerHour: 40, duration: .seconds(600))
        heavy.advance(rateMilligramsPerHour: 40, duration: .seconds(600))
        let ratio = light.plasmaConcentrationNanogramsPerMillilitre / heavy.plasmaConcentrationNanogramsPerMillilitre
        #expect(abs(ratio - 2) < 1e-9)
    }

    @Test func invalidInputsNeitherRunBackwardsNorPoisonTheState() {
        var model = PharmacokineticModel(parameters: .kamp, weightKilograms: 70)
        model.advance(rateMilligramsPerHour: 52.5, duration: .seconds(300))
        let before = model.plasmaConcentrationNanogramsPerMillilitre
        model.advance(rateMilligramsPerHour: .nan, duration: .zero)
        model.advance(rateMilligramsPerHour: 52.5, duration: .seconds(-60))
        #expect(model.plasmaConcentrationNanogramsPerMillilitre == before)
        model.advance(rateMilligramsPerHour: -10, duration: .seconds(60))
        #expect(model.plasmaConcentrationNanogramsPerMillilitre < before)
        #expect(model.plasmaConcentrationNanogramsPerMillilitre.isFinite)
    }

    @Test func bolusRaisesConcentrationByDoseOverCentralVolume() {
        var model = PharmacokineticModel(parameters: .domino, weightKilograms: 70)
        model.addBolus(milligrams: 10)
        // At t = 0, Σ Aᵢ = 1/V1, so Cp = 10 mg / (0.063 × 70 L).
        let expected = 10 / (0.063 * 70) * 1_000
        #expect(abs(model.plasmaConcentrationNanogramsPerMillilitre - expected) / expected < 1e-9)
    }

    @Test func peakPredictionDoesNotChangeTheModelAndBoundsTheFuture() {
        var model = PharmacokineticModel(parameters: .kamp, weightKilograms: 70)
        model.advance(rateMilligramsPerHour: 52.5, duration: .seconds(600))
        let now = model.plasmaConcentrationNanogramsPerMillilitre
        let peak = model.peakPlasmaConcentration(ifRunningAt: 52.5, for: .seconds(1_800))
        #expect(model.plasmaConcentrationNanogramsPerMillilitre == now)
        var future = model
        future.advance(rateMilligramsPerHour: 52.5, duration: .seconds(1_800))
        // Under a constant infusion from below steady state the concentration keeps rising,
        // so the peak is the end of the horizon: 253 ng/mL at 40 min (§5.2).
        #expect(abs(peak - future.plasmaConcentrationNanogramsPerMillilitre) < 1e-9)
        #expect(abs(peak - 253) <= 0.5)
        #expect(model.peakPlasmaConcentration(ifRunningAt: 0, for: .seconds(1_800)) == now)
    }
}

private func expectClose(
    _ actual: SIMD3<Double>,
    _ expected: [Double],
    relative: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for i in 0..<3 {
        #expect(
            abs(actual[i] - expected[i]) <= relative * expected[i],
            "slot \(i): \(actual[i]) vs \(expected[i])",
            sourceLocation: sourceLocation
        )
    }
}
