extension ChairCore {
    /// Intake: binds a patient, weight and library entry to the chair. Refused without a library
    /// entry, without a signed checklist, or with a weight past its hard bounds; a weight past its soft
    /// bounds needs an override with a reason. With the patient's `history`, the profile's cross-session
    /// limits are screened with the weight, under the same override (``SeriesScreen``). An accepted intake
    /// forgets everything the chair knew of the previous patient (``forgetPreviousPatient(at:into:)``).
    mutating func takeIn(
        _ request: IntakeRequest,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard [.idle, .intake, .programmed, .discharged].contains(state) else {
            return .wrongState("intake", state)
        }
        guard request.patientID.contains(where: { !$0.isWhitespace }) else { return .invalid("patient id is empty") }
        guard let profile = configuration.library.profile(id: request.profileID) else {
            return CoreError(
                code: "no-library-entry",
                message: "drug library \(configuration.library.version) has no entry \(request.profileID)"
            )
        }
        guard request.checklistSigned, request.checklistSignedBy.contains(where: { !$0.isWhitespace }) else {
            return CoreError(code: "checklist-unsigned", message: "the contraindication checklist must be signed")
        }
        if let refusal = screeningRefusal(request) { return refusal }
        guard request.weight.isPositiveAndFinite else { return .invalid("weight must be a positive number") }
        let screen = LimitScreen(
            operatorID: operatorID, profileID: profile.id, libraryVersion: configuration.library.version, time: now
        )
        var checks = [LimitCheck(kind: .weight, value: request.weight.value, band: profile.weightLimits)]
        let series = request.history.map { SeriesScreen(history: $0, limits: profile.seriesLimits) }
        checks += series?.checks(weight: request.weight) ?? []
        let verdict = screen.screen(checks, override: request.override)
        for event in verdict.events { output.append(.event(.limit(event))) }
        if let refusal = verdict.refusal {
            return series?.refusal(replacing: refusal, events: verdict.events) ?? refusal
        }

        forgetPreviousPatient(at: now, into: &output)
        // The history served this check only; the session (and its checkpoint, which does not code it) keeps none.
        var intake = request
        intake.history = nil
        session = SessionRecord(
            intake: intake, profile: profile, libraryVersion: configuration.library.version, takenInAt: now,
            program: nil, pauseCauses: []
        )
        pharmacokinetics = PharmacokineticModel(parameters: profile.pharmacokinetics, weightKilograms: request.weight.value)
        ledger = DeliveryLedger(concentration: profile.concentrations.first ?? MilligramsPerMillilitre(1))
        supervision = PumpSupervision()
        awaitingClearedCounter = false
        if state == .intake {
            // A new intake over one not yet programmed is still a new patient: observers must see the
            // new outline and forget the old readings, though the state stays the same.
            output.append(.event(.session(SessionTransition(
                from: .intake, to: .intake, reason: "intake", time: now, session: session.map(SessionOutline.init)))))
        } else {
            transition(to: .intake, reason: "intake", at: now, into: &output)
        }
        return nil
    }

    /// Programming: checks concentration, rate (in mg/kg/h, mg/h and mL/h), session dose and the
    /// predicted-concentration ceiling against the library entry, all at once.
    mutating func program(
        _ request: ProgramRequest,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .intake || state == .programmed, var record = session else {
            return .wrongState("program", state)
        }
        let profile = record.profile
        let weight = record.weight
        guard request.concentration.isPositiveAndFinite, request.syringeVolume.isPositiveAndFinite else {
            return .invalid("concentration and syringe volume must be positive numbers")
        }
        guard profile.concentrations.contains(request.concentration) else {
            return CoreError(
                code: "concentration-not-in-library",
                message: "\(request.concentration) is not a concentration of \(profile.id)"
            )
        }
        let drugRate: MilligramsPerHour
        if let rate = request.rate {
            drugRate = rate.milligramsPerHour(weight: weight, concentration: request.concentration)
        } else if let dose = request.totalDose, let minutes = request.durationMinutes, minutes > 0, minutes.isFinite {
            drugRate = dose.total(for: weight).rate(over: .seconds(minutes * 60))
        } else {
            return .invalid("give a rate, or a total dose with a duration")
        }
        guard drugRate.isPositiveAndFinite else { return .invalid("the rate must be a positive number") }
        if let dose = request.totalDose, !dose.isPositiveAndFinite { return .invalid("the total dose must be positive") }
        let syringe: SyringeSpec
        switch self.syringe(named: request.syringe, current: record.program?.syringe) {
        case .success(let entry): syringe = entry
        case .failure(let refusal): return refusal
        }
        let targetDose = request.totalDose?.total(for: weight)

        var checks = rateChecks(drugRate, profile: profile, weight: weight, concentration: request.concentration)
        if let dose = request.totalDose, let targetDose {
            checks.append(LimitCheck(kind: .sessionDose, value: dose.value, band: profile.sessionDoseLimits))
            checks.append(
                LimitCheck(kind: .absoluteSessionDose, value: targetDose.value, band: profile.absoluteSessionDoseLimits))
        }
        if let model = pharmacokinetics {
            let peak = model.peakPlasmaConcentration(ifRunningAt: drugRate.value, for: horizon(drugRate, target: targetDose))
            checks.append(LimitCheck(kind: .predictedConcentration, value: peak, band: profile.predictedConcentrationLimits))
        }
        let screen = LimitScreen(
            operatorID: operatorID, profileID: profile.id, libraryVersion: record.libraryVersion, time: now
        )
        let verdict = screen.screen(checks, override: request.override)
        for event in verdict.events { output.append(.event(.limit(event))) }
        if let refusal = verdict.refusal { return refusal }

        // A session dose past the soft limit confirmed here is not held at that limit again during delivery.
        if verdict.events.contains(where: { $0.outcome == .softOverridden && $0.kind.isSessionDose }) {
            record.sessionDoseSoftLimitOverridden = true
        }
        record.program = ActiveProgram(
            concentration: request.concentration, syringeVolume: request.syringeVolume, targetDose: targetDose,
            flow: drugRate.flow(at: request.concentration), syringe: syringe
        )
        session = record
        setPumpSyringe(syringe, at: now, into: &output)
        ledger = DeliveryLedger(concentration: request.concentration)
        transition(to: .programmed, reason: "programmed", at: now, into: &output)
        return nil
    }

    /// The rate checks of docs/CLINICAL-BASIS.md §6.3: a rate must pass its limits in every unit.
    func rateChecks(
        _ drugRate: MilligramsPerHour,
        profile: DrugProfile,
        weight: Kilograms,
        concentration: MilligramsPerMillilitre
    ) -> [LimitCheck] {
        [
            LimitCheck(kind: .doseRate, value: drugRate.perKilogram(of: weight).value, band: profile.rateLimits),
            LimitCheck(kind: .absoluteDoseRate, value: drugRate.value, band: profile.absoluteRateLimits),
            LimitCheck(kind: .flowRate, value: drugRate.flow(at: concentration).value, band: profile.flowLimits),
        ]
    }

    /// How far ahead the ceiling check looks: until the target dose would be reached at `drugRate`,
    /// or the configured horizon, whichever is sooner.
    func horizon(_ drugRate: MilligramsPerHour, target: Milligrams?) -> Duration {
        let configured = configuration.predictionHorizonSeconds
        guard let target else { return .configured(seconds: configured) }
        let remaining = max(0, target.value - ledger.deliveredDose.value)
        return .configured(seconds: min(configured, remaining / drugRate.value * 3_600))
    }
}
