extension ChairCore {
    /// Titration: a new rate in any unit, converted to mL/h and held against the entry's rate limits in
    /// every unit and against the predicted-concentration ceiling computed on the actual delivery
    /// history. A hard limit refuses; a soft limit refuses unless `override` carries a reason; every
    /// limit event is published. An accepted rate goes to the pump in this same call.
    mutating func titrate(
        to rate: DoseRate,
        override: LimitOverride?,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .infusing || state == .paused, var record = session, var program = record.program else {
            return .wrongState("rate", state)
        }
        if let refusal = restartRefusal() { return refusal }
        guard rate.value.isFinite, rate.value > 0 else {
            return .invalid("the rate must be a positive number; use pause to stop delivery")
        }
        let drugRate = rate.milligramsPerHour(weight: record.weight, concentration: program.concentration)
        guard drugRate.isPositiveAndFinite else { return .invalid("the rate must be a positive number") }
        var checks = rateChecks(drugRate, profile: record.profile, weight: record.weight, concentration: program.concentration)
        if let model = pharmacokinetics {
            let peak = model.peakPlasmaConcentration(
                ifRunningAt: drugRate.value, for: horizon(drugRate, target: program.targetDose)
            )
            checks.append(
                LimitCheck(kind: .predictedConcentration, value: peak, band: record.profile.predictedConcentrationLimits)
            )
        }
        let screen = LimitScreen(
            operatorID: operatorID, profileID: record.profile.id, libraryVersion: record.libraryVersion, time: now
        )
        let verdict = screen.screen(checks, override: override)
        for event in verdict.events { output.append(.event(.limit(event))) }
        if let refusal = verdict.refusal { return refusal }

        let flow = drugRate.flow(at: program.concentration)
        program.flow = flow
        record.program = program
        session = record
        output.append(.pump(.setRate(flow)))
        let running = state == .infusing
        if running { ledger.setFlow(flow) }
        supervision.commandSent(running: running, flow: flow, at: now)
        reportDelivery(at: now, into: &output)
        return nil
    }
}
