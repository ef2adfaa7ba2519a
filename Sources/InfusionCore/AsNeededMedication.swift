/// One medication of the clinic's as-needed list: what a nurse may give at the chair for a rise in blood
/// pressure, nausea or anxiety (`medicate`), with the usual single dose the clinic expects. A dose outside
/// the usual range is not refused outright (the prescriber may have ordered it) but needs an override with
/// a reason; a drug not on the list is refused (docs/CLINICAL-BASIS.md §8.9).
public struct AsNeededMedication: Hashable, Sendable, Codable {
    /// Lower-case id operators name the drug by ("ondansetron"); never renamed once records use it.
    public var id: String
    /// The drug's name for people.
    public var name: String
    /// The unit doses are given in; a `medicate` in another unit is refused, never converted.
    public var unit: MedicationDoseUnit
    /// The routes the clinic gives it by.
    public var routes: [MedicationRoute]
    /// The usual single dose, in `unit`: from `usualMinimum` to `usualMaximum` inclusive.
    public var usualMinimum: Double
    public var usualMaximum: Double
    /// What it is given for, in words, for people and `library`.
    public var indication: String

    public init(
        id: String, name: String, unit: MedicationDoseUnit, routes: [MedicationRoute], usualMinimum: Double,
        usualMaximum: Double, indication: String
    ) {
        self.id = id
        self.name = name
        self.unit = unit
        self.routes = routes
        self.usualMinimum = usualMinimum
        self.usualMaximum = usualMaximum
        self.indication = indication
    }

    /// Whether `dose` is within the usual single dose.
    public func isUsual(_ dose: Double) -> Bool { usualMinimum <= dose && dose <= usualMaximum }

    /// Problems that make the entry unusable.
    var inconsistencies: [String] {
        var problems: [String] = []
        if !id.contains(where: { !$0.isWhitespace }) { problems.append("an as-needed medication has an empty id") }
        if !(usualMinimum > 0 && usualMinimum.isFinite && usualMaximum.isFinite) {
            problems.append("as-needed medication \(id): the usual doses must be positive numbers")
        }
        if usualMinimum > usualMaximum {
            problems.append("as-needed medication \(id): usual minimum \(usualMinimum) above maximum \(usualMaximum)")
        }
        if routes.isEmpty { problems.append("as-needed medication \(id): no route") }
        return problems
    }
}

/// The unit of an as-needed dose.
public enum MedicationDoseUnit: String, Hashable, Sendable, Codable, CaseIterable {
    case mg
    /// Micrograms.
    case mcg
}

/// How an as-needed medication is given (the abbreviations charts use).
public enum MedicationRoute: String, Hashable, Sendable, Codable, CaseIterable {
    /// Intravenous.
    case iv = "IV"
    /// Intramuscular.
    case im = "IM"
    /// By mouth.
    case po = "PO"
    /// Under the tongue.
    case sl = "SL"
}
