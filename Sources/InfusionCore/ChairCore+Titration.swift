extension ChairCore {
    /// Titration: a new rate in any unit, converted to mL/h and held against the entry's rate limits in
    /// every unit, its up-titration limits, and the predicted-concentration ceiling computed on the
    /// actual delivery history. A hard limit refuses; a soft limit refuses unless `override` carries a
    /// reason; every limit event is published. An accepted rate goes to the pump in this same call.
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
        guard record.bolus == nil else {
            return CoreError(code: "bolus-running", message: "a bolus is being pushed; change the rate after it ends")
        }
        guard rate.value.isFinite, rate.value > 0 else {
            return .invalid("the rate must be a positive number; use pause to stop delivery")
        }
        let drugRate = rate.milligramsPerHour(weight: record.weight, concentration: program.concentration)
        guard drugRate.isPositiveAndFinite else { return .invalid("the rate must be a positive number") }
        var checks = rateChecks(drugRate, profile: record.profile, weight: record.weight, concentration: program.concentration)
        let current = program.flow.drugRate(at: program.concentration).perKilogram(of: record.weight).value
        let increase = drugRate.perKilogram(of: record.weight).value - current
        let isIncrease = increase > Self.rateChangeTolerance
        if isIncrease, let limits = record.profile.titrationLimits {
            checks += Self.titrationChecks(
                increase, from: current, limits: limits, lastIncrease: record.lastRateIncreaseAt, at: now)
        }
        if let model = pharmacokinetics {
            let peak = model.peakPlasmaConcentration(
                ifRunningAt: drugRate.value, for: horizon(drugRate, target: program.targetDose)
            )
            checks.append(
                LimitCheck(kind: .predictedConcentration, value: peak, band: record.profile.predictedConcentrationLimits)
            )
        }
        if let refusal = pumpRangeRefusal(drugRate.flow(at: program.concentration)) { return refusal }
        let screen = LimitScreen(
            operatorID: operatorID, profileID: record.profile.id, libraryVersion: record.libraryVersion, time: now
        )
        let verdict = screen.screen(checks, override: override)
        for event in verdict.events { output.append(.event(.limit(event))) }
        if let refusal = verdict.refusal { return refusal }

        let flow = drugRate.flow(at: program.concentration)
        program.flow = flow
        record.program = program
        if isIncrease { record.lastRateIncreaseAt = now }
        session = record
        output.append(.pump(.setRate(flow)))
        let running = state == .infusing
        if running { ledger.setFlow(flow) }
        supervision.commandSent(running: running, flow: flow, at: now)
        reportDelivery(at: now, into: &output)
        return nil
    }

    /// Rate changes smaller than this (mg/kg/h) are rounding, not an increase.
    static let rateChangeTolerance = 1e-9

    /// The up-titration checks of docs/CLINICAL-BASIS.md §6.3: how large the step is against the current rate, and
    /// how long since the last increase (the first increase of a session has nothing to wait for).
    private static func titrationChecks(
        _ increase: Double,
        from current: Double,
        limits: TitrationLimits,
        lastIncrease: MonotonicInstant?,
        at now: MonotonicInstant
    ) -> [LimitCheck] {
        var checks: [LimitCheck] = []
        if let allowed = limits.allowedIncrease(from: current) {
            checks.append(LimitCheck(kind: .titrationStep, value: increase, band: LimitBand(softMaximum: allowed)))
        }
        if let minimum = limits.minimumSecondsBetweenIncreases, let last = lastIncrease {
            let elapsed = (now - last).secondsDouble
            checks.append(LimitCheck(kind: .titrationInterval, value: elapsed, band: LimitBand(softMinimum: minimum)))
        }
        return checks
    }
}
