#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import InfusionCore

/// The vital signs of the simulated patient at one instant, in the units monitors report.
public struct PatientVitals: Hashable, Sendable {
    public var systolic: Double
    public var diastolic: Double
    public var heartRate: Double
    public var spo2: Double
    public var respiratoryRate: Double
    public var perfusionIndex: Double

    public init(systolic: Double, diastolic: Double, heartRate: Double, spo2: Double, respiratoryRate: Double, perfusionIndex: Double) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.heartRate = heartRate
        self.spo2 = spo2
        self.respiratoryRate = respiratoryRate
        self.perfusionIndex = perfusionIndex
    }

    /// Mean arterial pressure by the usual one-third pulse-pressure estimate, as oscillometric
    /// monitors report it alongside systolic and diastolic.
    public var mean: Double { diastolic + (systolic - diastolic) / 3 }
}

/// A simulated patient whose blood pressure and heart rate respond to ketamine.
///
/// The predicted plasma concentration (ng/mL) is an input: the caller runs the pharmacokinetic model
/// on what the pump delivered (or replays a script) and hands the result in with each `advance`.
/// Pure and deterministic: the same parameters, seed and inputs give the same readings.
public struct PatientModel: Hashable, Sendable {
    public var parameters: PatientParameters
    /// Scripted desaturations, timed from `start`.
    public var desaturations: [SpO2Desaturation]
    /// When the model's clock starts.
    public let start: MonotonicInstant
    /// The concentration the haemodynamic effect follows, ng/mL.
    public private(set) var effectSiteConcentration: Double = 0
    /// The plasma concentration handed in by the last `advance`, ng/mL.
    public private(set) var plasmaConcentration: Double = 0
    private var now: MonotonicInstant
    private var random: SeededRandomGenerator

    public init(parameters: PatientParameters, seed: UInt64, start: MonotonicInstant = .zero, desaturations: [SpO2Desaturation] = []) {
        self.parameters = parameters
        self.desaturations = desaturations
        self.start = start
        now = start
        random = SeededRandomGenerator(seed: seed)
    }

    /// Moves the model to `time`, the plasma concentration having been `plasmaConcentration` (ng/mL)
    /// since the previous call. Times earlier than the last one are ignored: the model never runs back.
    public mutating func advance(to time: MonotonicInstant, plasmaConcentration concentration: Double) {
        let elapsedMinutes = (time - now).secondsDouble / 60
        let input = concentration.isFinite ? max(0, concentration) : 0
        if elapsedMinutes > 0 {
            let halfTimeMinutes = max(parameters.effectHalfTime.secondsDouble / 60, 1e-6)
            // Exact first-order equilibration over a step of constant input: any step length is fine.
            let retained = exp(-elapsedMinutes * log(2) / halfTimeMinutes)
            effectSiteConcentration = input + (effectSiteConcentration - input) * retained
            now = time
        }
        plasmaConcentration = input
    }

    /// The patient's vitals now, without measurement noise.
    public var expectedVitals: PatientVitals {
        let effect = effectSiteConcentration
        let elapsed = now - start
        let dip = desaturations.map { $0.depth(at: elapsed) * max(0, parameters.baselineSpO2 - $0.nadir) }.max() ?? 0
        return PatientVitals(
            systolic: parameters.baselineSystolic + parameters.systolicPerConcentration * effect,
            diastolic: parameters.baselineDiastolic + parameters.diastolicPerConcentration * effect,
            heartRate: parameters.baselineHeartRate + parameters.heartRatePerConcentration * effect,
            spo2: parameters.baselineSpO2 - dip,
            respiratoryRate: parameters.baselineRespiratoryRate,
            perfusionIndex: parameters.baselinePerfusionIndex)
    }

    /// One noisy measurement of the vitals now, as a monitor would read them. SpO2 never exceeds 100 %.
    public mutating func measure() -> PatientVitals {
        var vitals = expectedVitals
        vitals.systolic += random.gaussian(deviation: parameters.systolicNoise)
        vitals.diastolic += random.gaussian(deviation: parameters.diastolicNoise)
        vitals.heartRate += random.gaussian(deviation: parameters.heartRateNoise)
        vitals.spo2 = min(100, vitals.spo2 + random.gaussian(deviation: parameters.spo2Noise))
        vitals.respiratoryRate += random.gaussian(deviation: parameters.respiratoryRateNoise)
        return vitals
    }
}
