public import InfusionCore

/// One score the nurse recorded on an observation scale (`observe`, or the Aldrete total of `recovery`).
public struct ObservationEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// The scale's id (`moaas`, `phq9`, ...; docs/CLINICAL-BASIS.md §8.8).
    public var scale: String
    public var value: Int
    /// The nurse's note with the observation, where one was given.
    public var note: String?
    public var actor: OperatorIdentity?

    public init(time: UTCInstant, scale: String, value: Int, note: String? = nil, actor: OperatorIdentity? = nil) {
        self.time = time
        self.scale = scale
        self.value = value
        self.note = note
        self.actor = actor
    }
}

/// An as-needed medication given at the chair (`medicate`, docs/CLINICAL-BASIS.md §8.10).
public struct MedicationEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// The as-needed list's id and the drug's name.
    public var drug: String
    public var name: String
    public var dose: Double
    public var unit: MedicationDoseUnit
    public var route: MedicationRoute
    /// Why it was given.
    public var reason: String
    /// The reason for a dose outside the usual range; nil for a usual dose.
    public var overrideReason: String?
    public var actor: OperatorIdentity?

    public init(
        time: UTCInstant, drug: String, name: String, dose: Double, unit: MedicationDoseUnit, route: MedicationRoute,
        reason: String, overrideReason: String? = nil, actor: OperatorIdentity? = nil
    ) {
        self.time = time
        self.drug = drug
        self.name = name
        self.dose = dose
        self.unit = unit
        self.route = route
        self.reason = reason
        self.overrideReason = overrideReason
        self.actor = actor
    }

    /// The dose's UCUM unit (`mg`, `ug`).
    public var ucumUnit: String {
        switch unit {
        case .mg: "mg"
        case .mcg: "ug"
        }
    }
}
