public import InfusionCore

/// How to set up a simulated monitor's patient from the command line: which preset, which
/// concentration curve, how fast patient time runs, and the weight used when the pump's rate is
/// reported through the control channel.
public struct MonitorSimulationSetup: Hashable, Sendable {
    /// The patient presets the command line names.
    public enum Preset: String, CaseIterable, Hashable, Sendable {
        case typical
        case hypertensive

        public var parameters: PatientParameters {
            switch self {
            case .typical: .typical
            case .hypertensive: .hypertensiveResponder
            }
        }
    }

    public var preset: Preset
    /// The plasma concentration to replay; a drug-free patient when nil.
    public var concentration: ConcentrationScript?
    /// Patient seconds per device second. Only the patient is accelerated: the device keeps its real
    /// protocol cadence, so a real driver can talk to it.
    public var timeScale: Double
    public var seed: UInt64
    /// Patient weight for the pharmacokinetic model behind `infusion-rate`, kg.
    public var weightKilograms: Double
    public var pharmacokinetics: PharmacokineticParameters
    public var desaturations: [SpO2Desaturation]

    public init(
        preset: Preset = .typical, concentration: ConcentrationScript? = nil, timeScale: Double = 1, seed: UInt64 = 1,
        weightKilograms: Double = 70, pharmacokinetics: PharmacokineticParameters = .kamp,
        desaturations: [SpO2Desaturation] = []
    ) {
        self.preset = preset
        self.concentration = concentration
        self.timeScale = timeScale
        self.seed = seed
        self.weightKilograms = weightKilograms
        self.pharmacokinetics = pharmacokinetics
        self.desaturations = desaturations
    }

    /// The shared state every monitor simulator starts from.
    public func simulation(start: MonotonicInstant = .zero) -> MonitorSimulation {
        let patient = PatientModel(parameters: preset.parameters, seed: seed, desaturations: desaturations)
        let feed = PatientFeed(
            patient: patient, source: .script(concentration ?? .constant(0)), timeScale: timeScale, origin: start)
        let model = PharmacokineticModel(parameters: pharmacokinetics, weightKilograms: weightKilograms)
        return MonitorSimulation(feed: feed, pharmacokinetics: model, seed: seed)
    }
}
