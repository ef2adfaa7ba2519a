/// The route an as-needed medication was given by (docs/PROTOCOL.md "medicate").
public enum WireMedicationRoute: String, Codable, Sendable, Hashable, CaseIterable {
    case iv = "IV"
    case im = "IM"
    case po = "PO"
    case sl = "SL"
}

/// The unit of an as-needed dose.
public enum WireMedicationDoseUnit: String, Codable, Sendable, Hashable, CaseIterable {
    case mg, mcg
}

/// One as-needed medication given at the chair: the `medication` event's data (with `chair`) and an entry of
/// a chair's `medications` in status (with `ageSeconds`).
public struct WireMedication: Codable, Sendable, Hashable {
    /// The as-needed list's id ("ondansetron").
    public var drug: String
    public var name: String
    public var dose: Double
    public var unit: WireMedicationDoseUnit
    public var route: WireMedicationRoute
    /// Why it was given.
    public var reason: String
    /// The usual single-dose range it was checked against.
    public var usualMinimum: Double
    public var usualMaximum: Double
    /// The reason given for a dose outside the usual range; absent for a usual dose.
    public var overrideReason: String?
    public var operatorID: String
    public var time: WireTimestamp
    /// Seconds since it was given, as of the status's `time` (status only).
    public var ageSeconds: Double?

    public init(
        drug: String, name: String, dose: Double, unit: WireMedicationDoseUnit, route: WireMedicationRoute, reason: String,
        usualMinimum: Double, usualMaximum: Double, overrideReason: String?, operatorID: String, time: WireTimestamp,
        ageSeconds: Double? = nil
    ) {
        (self.drug, self.name, self.dose, self.unit, self.route, self.reason) = (drug, name, dose, unit, route, reason)
        (self.usualMinimum, self.usualMaximum, self.overrideReason) = (usualMinimum, usualMaximum, overrideReason)
        (self.operatorID, self.time, self.ageSeconds) = (operatorID, time, ageSeconds)
    }
}

/// A contraindication of intake's structured screening (docs/PROTOCOL.md "intake").
public enum WireContraindication: String, Codable, Sendable, Hashable, CaseIterable {
    case uncontrolledHypertension, unstableHeartDisease, raisedIntracranialPressure, raisedIntraocularPressure
    case interstitialCystitis, activeSubstanceMisuse, currentMania, activePsychosis
}

/// How intake screened the patient.
public enum WireScreeningMethod: String, Codable, Sendable, Hashable, CaseIterable {
    /// The signed checklist alone (screened on paper).
    case signedChecklist
    /// The structured screening, every contraindication answered.
    case structured
}

/// What a session keeps of its intake screening: in session outlines and a chair's status.
public struct WireScreening: Codable, Sendable, Hashable {
    public var method: WireScreeningMethod
    /// Contraindications answered present.
    public var present: [WireContraindication]
    /// The reason given to take the patient in despite them.
    public var overrideReason: String?

    public init(method: WireScreeningMethod, present: [WireContraindication], overrideReason: String?) {
        self.method = method
        self.present = present
        self.overrideReason = overrideReason
    }
}

/// A start confirmed above the pre-start blood pressure.
public struct WirePreStartPressureOverride: Codable, Sendable, Hashable {
    public var systolic: Double
    public var diastolic: Double?
    public var reason: String
    public var operatorID: String
    public var time: WireTimestamp

    public init(systolic: Double, diastolic: Double?, reason: String, operatorID: String, time: WireTimestamp) {
        (self.systolic, self.diastolic, self.reason, self.operatorID, self.time) = (systolic, diastolic, reason, operatorID, time)
    }
}
