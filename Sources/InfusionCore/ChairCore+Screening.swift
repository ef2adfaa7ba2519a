extension ChairCore {
    /// Intake's screening check (docs/CLINICAL-BASIS.md §1.9): without the structured screening, the signed
    /// checklist stands alone unless the configuration requires the structured one (`screening-required`).
    /// With it, every contraindication must be answered (`screening-incomplete`); one answered present
    /// refuses intake when configured to (`contraindication-present`), otherwise it needs
    /// `screeningOverride` with a reason (`contraindication-needs-override`, `override-reason-missing`).
    func screeningRefusal(_ request: IntakeRequest) -> CoreError? {
        let policy = configuration.intakeScreening
        guard let screening = request.screening else {
            guard !policy.requireStructured else {
                return CoreError(code: "screening-required", message: "this clinic takes in only with the structured screening")
            }
            return nil
        }
        let unanswered = screening.unanswered
        guard unanswered.isEmpty else {
            return CoreError(
                code: "screening-incomplete",
                message: "answer every contraindication of the screening; unanswered: "
                    + unanswered.map(\.rawValue).joined(separator: ", "),
                details: unanswered.map(\.rawValue))
        }
        let present = screening.present
        let refusing = present.filter { policy.response(to: $0) == .refuse }
        guard refusing.isEmpty else {
            return CoreError(
                code: "contraindication-present",
                message: "the screening found " + refusing.map(\.rawValue).joined(separator: ", ")
                    + "; this clinic does not take the patient in",
                details: refusing.map(\.rawValue))
        }
        guard !present.isEmpty else { return nil }
        guard let override = request.screeningOverride else {
            return CoreError(
                code: "contraindication-needs-override",
                message: "the screening found " + present.map(\.rawValue).joined(separator: ", ")
                    + "; confirm with a reason (screeningOverride) to take the patient in",
                details: present.map(\.rawValue))
        }
        guard override.hasReason else {
            return CoreError(code: "override-reason-missing", message: "taking in despite a contraindication needs a reason")
        }
        return nil
    }
}
