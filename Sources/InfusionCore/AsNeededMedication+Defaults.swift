extension AsNeededMedication {
    /// The built-in as-needed list: one medication for each reason the clinic pages give (a rise in blood
    /// pressure, nausea, anxiety), each at its label's usual adult single dose (docs/CLINICAL-BASIS.md §8.9).
    /// A clinic's configured list replaces it whole, so a drug the clinic does not stock is not accepted.
    public static let builtIns: [AsNeededMedication] = [
        AsNeededMedication(
            id: "ondansetron", name: "Ondansetron", unit: .mg, routes: [.iv, .im], usualMinimum: 4, usualMaximum: 4,
            indication: "nausea or vomiting"),
        AsNeededMedication(
            id: "labetalol", name: "Labetalol", unit: .mg, routes: [.iv], usualMinimum: 20, usualMaximum: 80,
            indication: "a rise in blood pressure"),
        AsNeededMedication(
            id: "midazolam", name: "Midazolam", unit: .mg, routes: [.iv], usualMinimum: 1, usualMaximum: 2.5,
            indication: "anxiety or agitation"),
    ]
}
