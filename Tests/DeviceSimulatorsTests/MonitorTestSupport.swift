import DeviceSimulators
import InfusionCore

/// A typical patient at a fixed plasma concentration, as every monitor test starts from.
func monitorSimulation(concentration: Double = 0, seed: UInt64 = 5) -> MonitorSimulation {
    let feed = PatientFeed(patient: PatientModel(parameters: .typical, seed: seed), source: .script(.constant(concentration)))
    return MonitorSimulation(
        feed: feed, pharmacokinetics: PharmacokineticModel(parameters: .kamp, weightKilograms: 70), seed: seed)
}

extension ControllableDevice {
    /// Sends a control line and returns the answer.
    mutating func monitorControl(_ line: String, at time: MonotonicInstant = .zero) -> String {
        control(line.split(separator: " "), at: time)
    }
}
