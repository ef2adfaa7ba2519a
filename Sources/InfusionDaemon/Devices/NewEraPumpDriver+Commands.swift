import DeviceProtocols
import InfusionCore

/// The domain commands in NE-1000 terms, each followed by its read-back.
extension NewEraPumpDriver {
    func setRate(_ rate: MillilitresPerHour) async throws(PumpDriverFailure) -> PumpObservation {
        guard let number = NewEraNumber(rounding: rate.value), rate.value > 0,
            abs(number.value - rate.value) <= settings.rateRepresentationTolerance * rate.value
        else {
            throw .failed("rate \(rate.value) mL/h cannot be sent to the pump (four significant digits)")
        }
        let reply = try await exchange(.setRate(number, .millilitresPerHour))
        if let error = reply.error {
            throw .failed("pump refused RAT\(number.text)MH: \(Self.describe(error))")
        }
        let observation = try await readBack()
        guard let observed = observation.rateMillilitresPerHour, abs(observed - number.value) < Self.readBackResolution else {
            throw .readBackMismatch(expected: "rate \(number.text) mL/h", observed: observation)
        }
        confirmedRate = number
        return observation
    }

    /// Continuous infusion (`VOL0`, the core reconciles volume itself), forward, then `RUN`.
    func start() async throws(PumpDriverFailure) -> PumpObservation {
        let program: [NewEraCommand] = [.setVolume(.zero), .setDirection(.infuse), .run(phase: nil)]
        for command in program {
            let reply = try await exchange(command)
            if let error = reply.error {
                throw .failed("pump refused \(command.text): \(Self.describe(error))")
            }
        }
        let observation = try await readBack()
        guard observation.state == .infusing else {
            throw .readBackMismatch(expected: "infusing", observed: observation)
        }
        try checkConfirmedRate(observation)
        return observation
    }

    /// One `STP`: a running pump pauses. A pump already still stays still (a paused one stops), and
    /// one stopped by its own alarm is not infusing either, so all three are a confirmed pause.
    func pause() async throws(PumpDriverFailure) -> PumpObservation {
        let reply = try await exchange(.stop)
        if let error = reply.error { throw .failed("pump refused STP: \(Self.describe(error))") }
        let observation = try await readBack()
        guard [.paused, .stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "paused", observed: observation)
        }
        return observation
    }

    /// `STP` until stopped: the first pauses a running pump, the second stops it.
    func stop() async throws(PumpDriverFailure) -> PumpObservation {
        var observation: PumpObservation?
        for _ in 0..<2 {
            let reply = try await exchange(.stop)
            if let error = reply.error { throw .failed("pump refused STP: \(Self.describe(error))") }
            let readBack = try await readBack()
            observation = readBack
            if readBack.state != .paused { break }
        }
        guard let observation, [.stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "stopped", observed: observation ?? PumpObservation(state: .unknown, time: clock()))
        }
        return observation
    }

    /// Rate and dispensed volume; both replies carry the status. Alarms latched since the last
    /// observation are reported once, and a still pump with such an alarm reads as `.alarmed`.
    func readBack() async throws(PumpDriverFailure) -> PumpObservation {
        let rate = try await exchange(.queryRate)
        let dispensed = try await exchange(.queryDispensed)
        var observation = NewEraReply.observation(status: dispensed, rate: rate, dispensed: dispensed, at: clock())
        if !latchedAlarms.isEmpty {
            observation.alarms.formUnion(latchedAlarms)
            if observation.state == .stopped || observation.state == .paused { observation.state = .alarmed }
            latchedAlarms.removeAll()
        }
        return observation
    }

    /// A running pump must still show the rate last confirmed (it does not keep a rate changed while
    /// pumping across a power cut, device-protocols.md §1 command table).
    private func checkConfirmedRate(_ observation: PumpObservation) throws(PumpDriverFailure) {
        guard let confirmedRate else { return }
        guard let observed = observation.rateMillilitresPerHour, abs(observed - confirmedRate.value) < Self.readBackResolution
        else {
            throw .readBackMismatch(expected: "rate \(confirmedRate.text) mL/h", observed: observation)
        }
    }

    static func describe(_ error: NewEraError) -> String {
        error == .notRecognised ? "?" : "?" + error.rawValue
    }
}
