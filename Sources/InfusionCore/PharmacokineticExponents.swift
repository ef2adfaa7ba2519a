#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The unit-bolus response of a compartment model as a sum of exponentials,
/// `C1(t) = Σ Aᵢ·exp(−λᵢ t)` per milligram injected into V1.
///
/// Three fixed slots so that the model's state has a fixed size; a two-compartment model leaves the
/// third slot with a zero coefficient. Formulas: docs/CLINICAL-BASIS.md §5.2 (Bailey & Shafer
/// closed form for three compartments, the quadratic for two).
struct PharmacokineticExponents: Hashable, Sendable {
    /// Decay rates λᵢ per minute, sorted fastest first.
    var lambdas: SIMD3<Double>
    /// Coefficients Aᵢ in (mg/L) per mg, that is per litre.
    var coefficients: SIMD3<Double>

    init(parameters p: PharmacokineticParameters, weightKilograms: Double) {
        let centralVolume = p.centralVolumeLitresPerKilogram * weightKilograms
        if p.hasThirdCompartment {
            let lambdas = Self.threeCompartmentLambdas(p)
            var coefficients = SIMD3<Double>(repeating: 0)
            for i in 0..<3 {
                let j = (i + 1) % 3
                let k = (i + 2) % 3
                let numerator = (p.k21 - lambdas[i]) * (p.k31 - lambdas[i])
                let denominator = (lambdas[j] - lambdas[i]) * (lambdas[k] - lambdas[i])
                coefficients[i] = numerator / denominator / centralVolume
            }
            self.lambdas = lambdas
            self.coefficients = coefficients
        } else {
            let sum = p.k10 + p.k12 + p.k21
            let root = (sum * sum - 4 * p.k10 * p.k21).squareRoot()
            let fast = (sum + root) / 2
            let slow = (sum - root) / 2
            // The third slot must decay (λ > 0) so the update never divides by zero; its coefficient is 0.
            self.lambdas = SIMD3(fast, slow, 1)
            self.coefficients = SIMD3(
                (p.k21 - fast) / ((slow - fast) * centralVolume),
                (p.k21 - slow) / ((fast - slow) * centralVolume),
                0
            )
        }
    }

    /// Roots of the cubic characteristic polynomial by the trigonometric method (three real roots
    /// are guaranteed for a mammillary model).
    private static func threeCompartmentLambdas(_ p: PharmacokineticParameters) -> SIMD3<Double> {
        let a0 = p.k10 * p.k21 * p.k31
        let a1 = p.k10 * p.k31 + p.k21 * p.k31 + p.k21 * p.k13 + p.k10 * p.k21 + p.k31 * p.k12
        let a2 = p.k10 + p.k12 + p.k13 + p.k21 + p.k31
        let pp = a1 - a2 * a2 / 3
        let q = 2 * a2 * a2 * a2 / 27 - a1 * a2 / 3 + a0
        let r1 = (-(pp * pp * pp) / 27).squareRoot()
        // Clamp the acos argument: rounding can push it a hair outside [-1, 1].
        let cosine = min(1, max(-1, -q / (2 * r1)))
        let phi = acos(cosine) / 3
        let r2 = 2 * cbrt(r1)
        var roots = SIMD3<Double>(repeating: 0)
        for n in 0..<3 {
            roots[n] = -(r2 * cos(phi + 2 * Double.pi * Double(n) / 3) - a2 / 3)
        }
        // Sort descending so index 0 is the fastest exponential (three swaps; no array to allocate).
        var (a, b, c) = (roots[0], roots[1], roots[2])
        if a < b { swap(&a, &b) }
        if b < c { swap(&b, &c) }
        if a < b { swap(&a, &b) }
        return SIMD3(a, b, c)
    }

    /// `e^{−λᵢ·minutes}` for each slot.
    func decay(overMinutes minutes: Double) -> SIMD3<Double> {
        SIMD3(exp(-lambdas[0] * minutes), exp(-lambdas[1] * minutes), exp(-lambdas[2] * minutes))
    }
}
