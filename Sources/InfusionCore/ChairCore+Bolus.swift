extension ChairCore {
    /// A bolus on top of the running infusion (the pain entry allows ≤ 0.35 mg/kg; the psychiatric
    /// entry none, docs/CLINICAL-BASIS.md rows 4 and 8), pushed over at least the configured minimum time
    /// (60 s, row 12: faster pushes depress breathing and raise the pressor response).
    ///
    /// Held against the entry's bolus limits, the session dose it would bring the patient to, and the
    /// predicted plasma concentration at the end of the push; soft limits need a reason, hard limits
    /// never yield. The pump runs at the program's flow plus the bolus's until the push time is over,
    /// then returns to the program's flow. A pause or stop under the bolus ends it for good.
    mutating func bolus(
        _ request: BolusRequest,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .infusing, var record = session, let program = record.program else {
            return .wrongState("bolus", state)
        }
        if let refusal = restartRefusal() { return refusal }
        guard let bolusLimits = record.profile.bolusLimits else {
            return CoreError(code: "bolus-not-allowed", message: "the \(record.profile.id) entry allows no bolus")
        }
        guard record.bolus == nil else {
            return CoreError(code: "bolus-running", message: "a bolus is still being pushed; wait for it or pause")
        }
        guard configuration.pumpStopsWhenHostFallsSilent || configuration.allowBolusWithoutPumpSideStop else {
            return CoreError(
                code: "bolus-needs-pump-side-stop",
                message: "this chair's pump has no safe mode: a bolus is refused unless the site allows it"
                    + " (core.allowBolusWithoutPumpSideStop)")
        }
        guard request.dose.value.isFinite, request.dose.value > 0 else {
            return .invalid("the bolus dose must be a positive number of mg/kg")
        }
        let minimum = configuration.minimumBolusSeconds
        let seconds = request.seconds ?? minimum
        guard seconds.isFinite, seconds >= minimum else {
            return CoreError(
                code: "bolus-too-fast",
                message: "a bolus is pushed over at least \(Int(minimum.rounded(.up))) s; asked \(seconds) s")
        }
        if let refusal = deliveryPrecondition(at: now) { return refusal }

        let dose = request.dose.total(for: record.weight)
        let push = Duration.configured(seconds: seconds)
        let flow = program.flow + dose.rate(over: push).flow(at: program.concentration)
        if let refusal = pumpRangeRefusal(flow) { return refusal }
        let sessionDose = (ledger.deliveredDose + dose).perKilogram(of: record.weight).value
        var checks = [
            LimitCheck(kind: .bolus, value: request.dose.value, band: bolusLimits),
            LimitCheck(kind: .sessionDose, value: sessionDose, band: record.profile.sessionDoseLimits),
            LimitCheck(
                kind: .absoluteSessionDose, value: (ledger.deliveredDose + dose).value,
                band: record.profile.absoluteSessionDoseLimits),
        ]
        if let model = pharmacokinetics {
            // Plasma concentration peaks when the push ends.
            let peak = model.peakPlasmaConcentration(
                ifRunningAt: flow.drugRate(at: program.concentration).value, for: push)
            checks.append(LimitCheck(kind: .predictedConcentration, value: peak, band: record.profile.predictedConcentrationLimits))
        }
        let screen = LimitScreen(
            operatorID: operatorID, profileID: record.profile.id, libraryVersion: record.libraryVersion, time: now)
        let verdict = screen.screen(checks, override: request.override)
        for event in verdict.events { output.append(.event(.limit(event))) }
        if let refusal = verdict.refusal { return refusal }

        let running = RunningBolus(dose: dose, flow: flow, startedAt: now, endsAt: now + push)
        // A session dose past the soft limit confirmed for this bolus is not held there again.
        if verdict.events.contains(where: { $0.outcome == .softOverridden && $0.kind.isSessionDose }) {
            record.sessionDoseSoftLimitOverridden = true
        }
        record.bolus = running
        session = record
        setPhaseTarget(pushing: running, at: now, into: &output)
        changeRunningFlow(to: flow, announcing: bolusEvent(.started, running, reason: nil, at: now), at: now, into: &output)
        return nil
    }

    /// Returns the pump to the program's flow once the push time is over.
    mutating func finishBolusIfDue(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard state == .infusing, var record = session, let running = record.bolus, now >= running.endsAt,
            let program = record.program
        else { return }
        record.bolus = nil
        session = record
        setPhaseTarget(at: now, into: &output)
        changeRunningFlow(
            to: program.flow, announcing: bolusEvent(.finished, running, reason: nil, at: now), at: now, into: &output)
    }

    /// Forgets a bolus the session is leaving infusing under: whoever paused or stopped the pump has
    /// already sent its command, and a resume runs at the program's flow, never the bolus's.
    mutating func cancelBolus(leavingFor next: SessionState, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let running = session?.bolus else { return }
        session?.bolus = nil
        output.append(.event(.bolus(bolusEvent(.cancelled, running, reason: next.rawValue, at: now))))
    }

    /// Sets the infusing pump to `flow` now, then tells observers why and what it delivers.
    private mutating func changeRunningFlow(
        to flow: MillilitresPerHour, announcing event: BolusEvent, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) {
        output.append(.pump(.setRate(flow)))
        ledger.setFlow(flow)
        supervision.commandSent(running: true, flow: flow, at: now)
        output.append(.event(.bolus(event)))
        reportDelivery(at: now, into: &output)
    }

    private func bolusEvent(_ kind: BolusEvent.Kind, _ running: RunningBolus, reason: String?, at now: MonotonicInstant) -> BolusEvent {
        BolusEvent(
            kind: kind, dose: running.dose, flow: running.flow, seconds: (running.endsAt - running.startedAt).secondsDouble,
            endsAt: running.endsAt, deliveredDose: ledger.deliveredDose, reason: reason, time: now)
    }
}
