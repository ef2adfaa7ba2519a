/// `medicate`: one as-needed medication given at the chair, as the nurse records it.
public struct MedicationRequest: Hashable, Sendable, Codable {
    /// The as-needed list's id of the drug (`core.asNeededMedications`).
    public var drug: String
    public var dose: Double
    public var unit: MedicationDoseUnit
    public var route: MedicationRoute
    /// Why it was given ("nausea"); required.
    public var reason: String
    /// Confirmation, with its own reason, of a dose outside the usual range.
    public var override: LimitOverride?

    public init(
        drug: String, dose: Double, unit: MedicationDoseUnit, route: MedicationRoute, reason: String,
        override: LimitOverride? = nil
    ) {
        self.drug = drug
        self.dose = dose
        self.unit = unit
        self.route = route
        self.reason = reason
        self.override = override
    }
}

/// A medication given at the chair, kept in the session (and so in its checkpoint) and published as a
/// `medication` event.
public struct AdministeredMedication: Hashable, Sendable, Codable {
    public var drug: String
    /// The drug's name from the as-needed list, as it stood when given.
    public var name: String
    public var dose: Double
    public var unit: MedicationDoseUnit
    public var route: MedicationRoute
    public var reason: String
    /// The usual range it was checked against.
    public var usualMinimum: Double
    public var usualMaximum: Double
    /// The reason an operator gave for a dose outside the usual range; nil for a usual dose.
    public var overrideReason: String?
    public var operatorID: String
    /// When it was recorded (the instant the core accepted it).
    public var time: MonotonicInstant

    public init(
        drug: String, name: String, dose: Double, unit: MedicationDoseUnit, route: MedicationRoute, reason: String,
        usualMinimum: Double, usualMaximum: Double, overrideReason: String?, operatorID: String, time: MonotonicInstant
    ) {
        self.drug = drug
        self.name = name
        self.dose = dose
        self.unit = unit
        self.route = route
        self.reason = reason
        self.usualMinimum = usualMinimum
        self.usualMaximum = usualMaximum
        self.overrideReason = overrideReason
        self.operatorID = operatorID
        self.time = time
    }
}
