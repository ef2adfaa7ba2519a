/// The chair session's life cycle (docs/CLINICAL-BASIS.md §1.8 [D], issue 5):
/// idle → intake → programmed → infusing ⇄ paused → complete → recovery ⇄ dischargeReady → discharged.
public enum SessionState: String, Hashable, Sendable, Codable {
    /// No patient at the chair.
    case idle
    /// Patient, weight, profile and signed checklist recorded.
    case intake
    /// Dose, rate, concentration and syringe set and within limits.
    case programmed
    /// The pump has been told to deliver.
    case infusing
    /// Delivery paused by an operator, the interlock, or the pump.
    case paused
    /// The programmed dose was delivered or the infusion stopped; the pump is stopped or at KVO.
    case complete
    /// Observation after the infusion.
    case recovery
    /// Every discharge criterion holds; waiting for a clinician's signature.
    case dischargeReady
    /// A clinician signed the discharge; the chair may take the next patient.
    case discharged

    /// States in which the patient is at the chair and monitored.
    var monitorsPatient: Bool {
        switch self {
        case .idle, .discharged: false
        default: true
        }
    }
}
