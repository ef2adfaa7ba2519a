import InfusionCore

/// LOINC codes of the observation scales that have one (docs/CLINICAL-BASIS.md §4.3): the PHQ-9 total and the
/// 0–10 pain score. The other built-in scales (MOAA/S, RASS, the verbal nausea scale, CADSS-6, QIDS-SR16, the
/// modified Aldrete and PADSS totals) are coded in the site's observation-scale system by their id alone.
enum ObservationScaleLOINC {
    static let codes: [String: LOINCCode] = [
        "phq9": LOINCCode(code: "44261-6", display: "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
        "painNRS": LOINCCode(code: "72514-3", display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    ]
}

extension FHIR {
    /// The `survey` category the nurse's scores carry: scored assessments, not device measurements.
    static let surveyCategory: OrderedJSON = .array([
        concept([coding(FHIRCodes.observationCategorySystem, "survey", "Survey")])
    ])

    /// The route of an as-needed medication as text (FHIR R4 leaves the route's code system to the site).
    static func routeText(_ route: MedicationRoute) -> String {
        switch route {
        case .iv: "intravenous"
        case .im: "intramuscular"
        case .po: "oral"
        case .sl: "sublingual"
        }
    }
}
