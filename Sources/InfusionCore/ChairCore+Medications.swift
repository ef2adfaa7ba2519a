extension ChairCore {
    /// The medications given at the chair this session, in the order given; empty without a patient.
    public var medications: [AdministeredMedication] { session?.medications ?? [] }

    /// `medicate`: records an as-needed medication given to the patient at the chair. Refused, with nothing
    /// recorded, for a drug not on the clinic's list (`unknown-medication`), a unit or route the list does
    /// not give it in (`medication-unit-mismatch`, `medication-route-not-listed`), a missing reason, or a
    /// dose outside the usual range without an override (`dose-outside-usual-range`; a blank override
    /// reason is `override-reason-missing`). docs/CLINICAL-BASIS.md §8.9.
    mutating func medicate(
        _ request: MedicationRequest,
        by operatorID: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state.monitorsPatient, session != nil else { return .wrongState("medicate", state) }
        guard let entry = configuration.asNeededMedications.first(where: { $0.id == request.drug }) else {
            let known = configuration.asNeededMedications.map(\.id).joined(separator: ", ")
            return CoreError(
                code: "unknown-medication",
                message: "'\(request.drug)' is not on the clinic's as-needed list; listed: \(known)")
        }
        guard request.dose.isFinite, request.dose > 0 else { return .invalid("the dose must be a positive number") }
        guard request.reason.contains(where: { !$0.isWhitespace }) else {
            return .invalid("give the reason the medication was given")
        }
        guard request.unit == entry.unit else {
            return CoreError(
                code: "medication-unit-mismatch",
                message: "\(entry.id) is dosed in \(entry.unit.rawValue), not \(request.unit.rawValue); re-enter the dose")
        }
        guard entry.routes.contains(request.route) else {
            let routes = entry.routes.map(\.rawValue).joined(separator: ", ")
            return CoreError(
                code: "medication-route-not-listed",
                message: "\(entry.id) is given \(routes) at this clinic, not \(request.route.rawValue)")
        }
        var overrideReason: String?
        if !entry.isUsual(request.dose) {
            let range = "\(entry.usualMinimum)–\(entry.usualMaximum) \(entry.unit.rawValue)"
            guard let override = request.override else {
                return CoreError(
                    code: "dose-outside-usual-range",
                    message: "\(entry.id) \(request.dose) \(entry.unit.rawValue) is outside the usual \(range); "
                        + "confirm with a reason to record it")
            }
            guard override.hasReason else {
                return CoreError(
                    code: "override-reason-missing",
                    message: "a dose outside the usual \(range) needs a reason")
            }
            overrideReason = override.reason
        }
        let given = AdministeredMedication(
            drug: entry.id, name: entry.name, dose: request.dose, unit: entry.unit, route: request.route,
            reason: request.reason, usualMinimum: entry.usualMinimum, usualMaximum: entry.usualMaximum,
            overrideReason: overrideReason, operatorID: operatorID, time: now)
        session?.medications.append(given)
        output.append(.event(.medication(given)))
        return nil
    }
}
