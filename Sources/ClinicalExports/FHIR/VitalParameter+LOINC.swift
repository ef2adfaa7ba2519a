import InfusionCore

/// A LOINC code with its display name.
struct LOINCCode {
    var code: String
    var display: String
}

extension VitalParameter {
    /// LOINC codes for the FHIR vital-signs Observation (docs/CLINICAL-BASIS.md §4.3). Perfusion index has none
    /// there, so it carries its 11073 code alone.
    var loincCodes: [LOINCCode] {
        switch self {
        case .spo2:
            [
                LOINCCode(code: "59408-5", display: "Oxygen saturation in Arterial blood by Pulse oximetry"),
                LOINCCode(code: "2708-6", display: "Oxygen saturation in Arterial blood"),
            ]
        case .pulseRate, .ecgHeartRate: [LOINCCode(code: "8867-4", display: "Heart rate")]
        case .nibpSystolic: [LOINCCode(code: "8480-6", display: "Systolic blood pressure")]
        case .nibpDiastolic: [LOINCCode(code: "8462-4", display: "Diastolic blood pressure")]
        case .nibpMean: [LOINCCode(code: "8478-0", display: "Mean blood pressure")]
        case .respiratoryRate: [LOINCCode(code: "9279-1", display: "Respiratory rate")]
        case .perfusionIndex: []
        }
    }
}

enum FHIRCodes {
    static let loincSystem = "http://loinc.org"
    static let mdcSystem = "urn:iso:std:iso:11073:10101"
    static let ucumSystem = "http://unitsofmeasure.org"
    static let observationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let dataAbsentReasonSystem = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
    static let bloodPressurePanel = LOINCCode(
        code: "85354-9", display: "Blood pressure panel with all children optional")
    static let bodyWeight = LOINCCode(code: "29463-7", display: "Body weight")
    static let patientWeight = MDCCode(68_063, "MDC_ATTR_PT_WEIGHT")
    static let bloodPressureCompound = MDCCode(150_020, "MDC_PRESS_BLD_NONINV")
}
