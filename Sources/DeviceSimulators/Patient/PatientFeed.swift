public import InfusionCore

/// Where the simulated patient's plasma concentration comes from.
public enum ConcentrationSource: Hashable, Sendable {
    /// A replayed curve (or a constant), timed in patient minutes.
    case script(ConcentrationScript)
    /// The pharmacokinetic model fed with the pump's delivery, as reported to the simulator through
    /// its control channel (`infusion-rate <mg/h>`).
    case delivery(PharmacokineticModel, rateMilligramsPerHour: Double)
}

/// A patient model joined to its concentration source and to the device clock: what a monitor
/// simulator reads its numbers from.
///
/// Patient time may run faster than device time (`timeScale`), so a 40-minute infusion can be shown
/// in a few real minutes while the monitor keeps its real protocol cadence.
public struct PatientFeed: Hashable, Sendable {
    public private(set) var patient: PatientModel
    public private(set) var source: ConcentrationSource
    /// Patient seconds per device second; 1 is real time.
    public let timeScale: Double
    private let origin: MonotonicInstant
    private var lastPatientTime: MonotonicInstant

    /// - Parameters:
    ///   - origin: the device instant at which patient time 0 (the model's start) falls.
    ///   - timeScale: patient seconds per device second; non-positive or non-finite values mean 1.
    public init(patient: PatientModel, source: ConcentrationSource, timeScale: Double = 1, origin: MonotonicInstant = .zero) {
        self.patient = patient
        self.source = source
        self.timeScale = timeScale > 0 && timeScale.isFinite ? timeScale : 1
        self.origin = origin
        lastPatientTime = patient.start
    }

    /// The patient instant corresponding to device instant `time`.
    public func patientTime(at time: MonotonicInstant) -> MonotonicInstant {
        let elapsed = max(0, (time - origin).secondsDouble) * timeScale
        return patient.start.advanced(by: .nanoseconds(Int64((elapsed * 1e9).rounded())))
    }

    /// Brings the patient to device instant `time` and returns one noisy measurement.
    public mutating func measure(at time: MonotonicInstant) -> PatientVitals {
        advance(to: time)
        return patient.measure()
    }

    /// Brings the patient to device instant `time` and returns the noise-free vitals.
    public mutating func expectedVitals(at time: MonotonicInstant) -> PatientVitals {
        advance(to: time)
        return patient.expectedVitals
    }

    /// From `time` on, the concentration follows the pharmacokinetic model at `rateMilligramsPerHour`.
    /// The first call switches from a script to `model` (drug-free unless the caller says otherwise).
    public mutating func setInfusionRate(_ rateMilligramsPerHour: Double, model: PharmacokineticModel, at time: MonotonicInstant) {
        advance(to: time)
        let rate = rateMilligramsPerHour.isFinite ? max(0, rateMilligramsPerHour) : 0
        if case .delivery(let running, _) = source {
            source = .delivery(running, rateMilligramsPerHour: rate)
        } else {
            source = .delivery(model, rateMilligramsPerHour: rate)
        }
    }

    /// From `time` on, the concentration is held at `nanogramsPerMillilitre`.
    public mutating func holdConcentration(_ nanogramsPerMillilitre: Double, at time: MonotonicInstant) {
        advance(to: time)
        source = .script(.constant(nanogramsPerMillilitre))
    }

    private mutating func advance(to time: MonotonicInstant) {
        let now = patientTime(at: time)
        guard now > lastPatientTime else { return }
        let step = now - lastPatientTime
        lastPatientTime = now
        let concentration: Double
        switch source {
        case .script(let script):
            concentration = script.concentration(atMinutes: (now - patient.start).secondsDouble / 60)
        case .delivery(var model, let rate):
            model.advance(rateMilligramsPerHour: rate, duration: step)
            source = .delivery(model, rateMilligramsPerHour: rate)
            concentration = model.plasmaConcentrationNanogramsPerMillilitre
        }
        patient.advance(to: now, plasmaConcentration: concentration)
    }
}
