import InfusionCore

/// The domain commands, each carried out in the dialect's wire commands and followed by its
/// read-back.
extension SerialPumpDriver {
    func setRate(_ rate: MillilitresPerHour) async throws(PumpDriverFailure) -> PumpObservation {
        guard rate.value > 0, let setting = Dialect.rateSetting(rate.value),
            abs(setting.value - rate.value) <= dialect.settings.rateRepresentationTolerance * rate.value
        else {
            throw .failed("rate \(rate.value) mL/h cannot be sent to the pump (\(Dialect.numberFormat))")
        }
        try await carryOut([setting.command])
        let observation = try await readBack()
        guard let observed = observation.rateMillilitresPerHour, agrees(observed, setting.value) else {
            throw .readBackMismatch(expected: "rate \(setting.text) mL/h", observed: observation)
        }
        confirmedRate = setting
        return observation
    }

    func start() async throws(PumpDriverFailure) -> PumpObservation {
        try await checkDiameter()
        if Dialect.targetIsPerPhase {
            try await beginPhase()
        } else if phaseTarget == nil {
            try await carryOut([Dialect.noTarget])
        }
        try await carryOut(Dialect.startProgram)
        let observation = try await readBack()
        guard observation.state == .infusing else {
            throw .readBackMismatch(expected: "infusing", observed: observation)
        }
        try checkConfirmedRate(observation)
        return observation
    }

    /// One halt: a running pump pauses. A pump already still stays still, and one stopped by its
    /// own alarm is not infusing either, so all three are a confirmed pause.
    func pause() async throws(PumpDriverFailure) -> PumpObservation {
        let observation = try await halt()
        guard [.paused, .stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "paused", observed: observation)
        }
        return observation
    }

    /// Halts until stopped. A pump with one idle state is stopped by the first halt, and reads as
    /// stopped, the state the core asked for; otherwise the first halt may only have paused it.
    func stop() async throws(PumpDriverFailure) -> PumpObservation {
        var observation = try await halt()
        if observation.state == .paused {
            if Dialect.hasOneIdleState {
                observation.state = .stopped
            } else {
                observation = try await halt()
            }
        }
        guard [.stopped, .alarmed].contains(observation.state) else {
            throw .readBackMismatch(expected: "stopped", observed: observation)
        }
        return observation
    }

    /// Clears the infused-volume counter and reads it back as zero.
    func clearVolume() async throws(PumpDriverFailure) -> PumpObservation {
        try await carryOut([Dialect.clearInfusedVolume])
        let observation = try await readBack()
        guard let infused = observation.infusedMillilitres, infused < Dialect.readBackResolution else {
            throw .readBackMismatch(expected: "infused volume 0", observed: observation)
        }
        return observation
    }

    /// Sets the syringe diameter on a still pump and reads it back.
    func setSyringe(diameterMillimetres diameter: Double) async throws(PumpDriverFailure) -> PumpObservation {
        guard let setting = Dialect.diameterSetting(diameter) else {
            throw .failed("syringe diameter \(diameter) mm cannot be sent to the pump")
        }
        guard Dialect.runState(of: try await exchange(Dialect.statusQuery)) != .infusing else {
            throw .failed("the syringe diameter cannot change while the pump infuses")
        }
        try await carryOut([setting.command])
        let observation = try await readBack()
        guard let observed = observation.syringeDiameterMillimetres, agrees(observed, setting.value) else {
            throw .readBackMismatch(expected: "syringe diameter \(setting.text) mm", observed: observation)
        }
        confirmedDiameter = setting.value
        return observation
    }

    /// Sets where the pump stops by itself, on its infused counter. A per-phase pump takes it now when a
    /// phase is running (counted from that phase's start), otherwise at the next start.
    func setTarget(infusedMillilitres target: Double) async throws(PumpDriverFailure) -> PumpObservation {
        phaseTarget = target
        var observation = try await readBack()
        if !Dialect.targetIsPerPhase {
            try await sendTarget(target)
        } else if observation.state == .infusing, let phaseStartCounter {
            try await sendTarget(target - phaseStartCounter)
        } else {
            return observation
        }
        observation = try await readBack()
        return observation
    }

    /// A per-phase pump starts a new phase from stopped (a paused one would continue the old phase's
    /// count), with the target counted from the counter it reads now.
    private func beginPhase() async throws(PumpDriverFailure) {
        var observation = try await readBack()
        for _ in 0..<2 where observation.state != .stopped && observation.state != .alarmed {
            try await carryOut([Dialect.haltCommand])
            observation = try await readBack()
        }
        guard let counter = observation.infusedMillilitres else {
            throw .failed("the pump's infused volume could not be read before the start")
        }
        phaseStartCounter = counter
        guard let phaseTarget else {
            try await carryOut([Dialect.noTarget])
            return
        }
        try await sendTarget(phaseTarget - counter)
    }

    private func sendTarget(_ millilitres: Double) async throws(PumpDriverFailure) {
        // A target at or below the counter would read as "no target" (NE `VOL0` pumps on): nothing is
        // left in this phase, so nothing may start.
        guard millilitres >= Dialect.readBackResolution else {
            throw .failed("the phase has nothing left to deliver (target \(millilitres) mL ahead)")
        }
        let diameter = confirmedDiameter ?? dialect.settings.syringeDiameterMillimetres
        guard let setting = Dialect.targetSetting(millilitres, diameterMillimetres: diameter) else {
            throw .failed("target volume \(millilitres) mL cannot be sent to the pump")
        }
        try await carryOut([setting.command])
    }

    /// Refuses to run a pump whose diameter is not the one last set (changed on its keypad, or a
    /// pump swapped): every volume would be scaled by the ratio of the areas.
    private func checkDiameter() async throws(PumpDriverFailure) {
        guard let confirmedDiameter else { return }
        let printed = Dialect.value(in: try await exchange(Dialect.diameterQuery))
        guard let observed = printed.flatMap(Dialect.printedValues.diameter), agrees(observed, confirmedDiameter) else {
            throw .failed("pump syringe diameter reads \(printed ?? "?") mm, set to \(confirmedDiameter) mm: not started")
        }
    }

    /// Rate and volume; the later reply carries the current state. A still pump is also asked for its
    /// syringe diameter. Alarms latched since the last observation are reported once, and a still pump
    /// with such an alarm reads as `.alarmed`.
    func readBack() async throws(PumpDriverFailure) -> PumpObservation {
        let rate = try await exchange(Dialect.rateQuery)
        let volume = try await exchange(Dialect.volumeQuery)
        var observation = Dialect.observation(rate: rate, volume: volume, at: clock())
        if observation.state != .infusing,
            let diameter = Dialect.value(in: try await exchange(Dialect.diameterQuery)).flatMap(Dialect.printedValues.diameter)
        {
            observation.syringeDiameterMillimetres = diameter
            observation.rateRangeMillilitresPerHour = Dialect.rateRange(diameterMillimetres: diameter)
        }
        if !latchedAlarms.isEmpty {
            observation.alarms.formUnion(latchedAlarms)
            if observation.state == .stopped || observation.state == .paused { observation.state = .alarmed }
            latchedAlarms.removeAll()
        }
        return observation
    }

    /// Sets the diameter when the pump is idle; when it is already moving (the daemon restarted
    /// during an infusion) the diameter cannot change, so it must already be the configured one.
    func programSyringe() async throws(PumpDriverFailure) {
        let diameter = dialect.settings.syringeDiameterMillimetres
        guard let setting = Dialect.diameterSetting(diameter) else {
            throw .failed("syringe diameter \(diameter) mm cannot be sent to the pump")
        }
        let status = try await exchange(Dialect.statusQuery)
        if Dialect.runState(of: status) != .infusing {
            try await carryOut([setting.command])
        }
        let readBack = try await exchange(Dialect.diameterQuery)
        let printed = Dialect.value(in: readBack)
        guard let observed = printed.flatMap(Dialect.printedValues.diameter), agrees(observed, setting.value) else {
            throw .failed("pump syringe diameter reads \(printed ?? "?"), configured \(setting.text) mm")
        }
        confirmedDiameter = setting.value
    }

    private func halt() async throws(PumpDriverFailure) -> PumpObservation {
        try await carryOut([Dialect.haltCommand])
        return try await readBack()
    }

    /// A running pump must still show the rate last confirmed (an NE-1000 does not keep a rate
    /// changed while pumping across a power cut, docs/DEVICE-BASIS.md §1 command table).
    private func checkConfirmedRate(_ observation: PumpObservation) throws(PumpDriverFailure) {
        guard let confirmedRate else { return }
        guard let observed = observation.rateMillilitresPerHour, agrees(observed, confirmedRate.value) else {
            throw .readBackMismatch(expected: "rate \(confirmedRate.text) mL/h", observed: observation)
        }
    }

    private func agrees(_ observed: Double, _ sent: Double) -> Bool {
        abs(observed - sent) < Dialect.readBackResolution
    }
}
