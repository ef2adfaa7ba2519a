public import InfusionCore

/// What every monitor simulator shares: the patient it reads, the fault switches, the
/// pharmacokinetic model used when told the pump's rate, and the generator for line noise.
public struct MonitorSimulation: Hashable, Sendable {
    public var feed: PatientFeed
    public var faults: Set<MonitorFault> = []
    /// The model `infusion-rate` starts from: drug-free, for the patient's weight.
    public var pharmacokinetics: PharmacokineticModel
    /// What the garbage fault writes: a burst before each message, and bytes between messages at the
    /// rate `noise-rate` sets (none by default).
    public var noise: LineNoise
    /// The rate the ECG counts instead of the patient's (`ecg-rate`); nil follows the patient.
    public var ecgRateOverride: Double?
    /// The rate the pulse oximeter counts instead of the patient's (`pleth-rate`); nil follows the patient.
    public var plethRateOverride: Double?

    public init(feed: PatientFeed, pharmacokinetics: PharmacokineticModel, seed: UInt64) {
        self.feed = feed
        self.pharmacokinetics = pharmacokinetics
        noise = LineNoise(seed: seed ^ 0x6761_7262_6167_6500)
    }

    /// Whether the device sends nothing at all now.
    public var isSilent: Bool { faults.contains(.noFrames) || faults.contains(.disconnect) }

    /// The ECG heart rate the device sends for `vitals`.
    func ecgRate(_ vitals: PatientVitals) -> Double { ecgRateOverride ?? vitals.heartRate }

    /// The pleth pulse rate the device sends for `vitals`.
    func plethRate(_ vitals: PatientVitals) -> Double { plethRateOverride ?? vitals.heartRate }

    /// Random bytes to put before a message when the garbage fault is on; empty otherwise.
    mutating func noiseBurst() -> [UInt8] {
        noise.burst(on: faults.contains(.garbage))
    }

    /// Random bytes sent between messages up to `time` when the garbage fault is on and the device is not
    /// silent; empty otherwise.
    mutating func noiseBetweenMessages(until time: MonotonicInstant) -> [UInt8] {
        noise.between(until: time, on: faults.contains(.garbage) && !isSilent)
    }

    /// Answers a control line shared by all monitors: `ok[ detail]` or `error <reason>`.
    mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        switch MonitorControlCommand.parse(words) {
        case .failure(let error):
            return "error " + error.text
        case .success(.setFault(let fault, let on)):
            if on { faults.insert(fault) } else { faults.remove(fault) }
            noise.switched(on: faults.contains(.garbage) && !isSilent, at: time)
            return "ok"
        case .success(.listFaults):
            let names = MonitorFault.allCases.filter(faults.contains).map(\.rawValue)
            return names.isEmpty ? "ok none" : "ok " + names.joined(separator: " ")
        case .success(.state):
            let vitals = feed.expectedVitals(at: time)
            let pairs = [
                "patient-minutes=\(rounded((feed.patientTime(at: time) - feed.patient.start).secondsDouble / 60))",
                "plasma-ng-ml=\(rounded(feed.patient.plasmaConcentration))",
                "effect-ng-ml=\(rounded(feed.patient.effectSiteConcentration))",
                "systolic=\(rounded(vitals.systolic))", "diastolic=\(rounded(vitals.diastolic))",
                "heart-rate=\(rounded(vitals.heartRate))", "spo2=\(rounded(vitals.spo2))",
                "ecg-rate=\(rounded(ecgRate(vitals)))", "pleth-rate=\(rounded(plethRate(vitals)))",
                "garbage-bytes=\(noise.bytesWritten)",
            ]
            return "ok " + pairs.joined(separator: " ")
        case .success(.holdConcentration(let level)):
            feed.holdConcentration(level, at: time)
            return "ok"
        case .success(.infusionRate(let rate)):
            feed.setInfusionRate(rate, model: pharmacokinetics, at: time)
            return "ok"
        case .success(.noiseRate(let bytesPerSecond)):
            noise.bytesPerSecond = bytesPerSecond
            return "ok"
        case .success(.holdRate(.ecg, let rate)):
            ecgRateOverride = rate
            return "ok"
        case .success(.holdRate(.pleth, let rate)):
            plethRateOverride = rate
            return "ok"
        }
    }

    private func rounded(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
