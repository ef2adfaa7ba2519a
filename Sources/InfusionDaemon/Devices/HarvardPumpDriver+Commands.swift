import DeviceProtocols
import InfusionCore

/// The domain commands in Harvard terms, each followed by its read-back.
extension HarvardPumpDriver {
    func setRate(_ rate: MillilitresPerHour) async throws(PumpDriverFailure) -> PumpObservation {
        guard rate.value > 0, let text = HarvardNumber.text(rate.value), let sent = HarvardNumber.value(text),
            abs(sent - rate.value) <= settings.rateRepresentationTolerance * rate.value
        else {
            throw .failed("rate \(rate.value) mL/h cannot be sent to the pump (four decimals)")
        }
        let reply = try await exchange(.setInfusionRate(sent, .millilitresPerHour))
        if let error = reply.error {
            throw .failed("pump refused irate \(text) ml/h: \(Self.describe(error))")
        }
        let observation = try await readBack()
        guard let observed = observation.rateMillilitresPerHour, abs(observed - sent) < Self.readBackResolution else {
            throw .readBackMismatch(expected: "rate \(text) mL/h", observed: observation)
        }
        confirmedRate = sent
        return observation
    }

    /// Continuous infusion (`ctvolume` clears any target volume; the core reconciles volume
    /// itself), then `run`.
    func start() async throws(PumpDriverFailure) -> PumpObservation {
        for command: HarvardCommand in [.clearTargetVolume, .run] {
            let reply = try await exchange(command)
            if let error = reply.error {
                throw .failed("pump refused \(command.text ?? "?"): \(Self.describe(error))")
            }
        }
        let observation = try await readBack()
        guard observation.state == .infusing else {
            throw .readBackMismatch(expected: "infusing", observed: observation)
        }
        try checkConfirmedRate(observation)
        return observation
    }

    /// One `stop`: the pump goes idle (`:`). A still pump stays still, and one stalled is not
    /// infusing either, so any of these is a confirmed pause.
    func pause() async throws(PumpDriverFailure) -> PumpObservation {
        let observation = try await halt()
        guard [.paused, .stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "paused", observed: observation)
        }
        return observation
    }

    /// Harvard pumps have one idle state for both pause and stop, so a stop is the same `stop`
    /// command; an idle read-back after it is reported as stopped, the state the core asked for.
    func stop() async throws(PumpDriverFailure) -> PumpObservation {
        var observation = try await halt()
        if observation.state == .paused { observation.state = .stopped }
        guard [.stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "stopped", observed: observation)
        }
        return observation
    }

    private func halt() async throws(PumpDriverFailure) -> PumpObservation {
        let reply = try await exchange(.stop)
        if let error = reply.error { throw .failed("pump refused stop: \(Self.describe(error))") }
        return try await readBack()
    }

    /// Rate and infused volume; the prompt ending the `ivolume` reply is the current state. Alarms
    /// latched since the last observation are reported once, and a still pump with such an alarm
    /// reads as `.alarmed`.
    func readBack() async throws(PumpDriverFailure) -> PumpObservation {
        let rate = try await exchange(.queryInfusionRate)
        let infused = try await exchange(.queryInfusedVolume)
        var observation = HarvardReply.observation(status: infused, rate: rate, infused: infused, at: clock())
        if !latchedAlarms.isEmpty {
            observation.alarms.formUnion(latchedAlarms)
            if observation.state == .stopped || observation.state == .paused { observation.state = .alarmed }
            latchedAlarms.removeAll()
        }
        return observation
    }

    /// A running pump must still show the rate last confirmed.
    private func checkConfirmedRate(_ observation: PumpObservation) throws(PumpDriverFailure) {
        guard let confirmedRate else { return }
        guard let observed = observation.rateMillilitresPerHour, abs(observed - confirmedRate) < Self.readBackResolution
        else {
            throw .readBackMismatch(expected: "rate \(confirmedRate) mL/h", observed: observation)
        }
    }

    static func describe(_ error: HarvardError) -> String { error.rawValue }
}
