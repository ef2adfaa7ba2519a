/// A mammillary compartment model of a drug's pharmacokinetics, in the form the exact
/// piecewise-constant solution needs: a central volume that scales linearly with body weight and
/// weight-independent micro rate constants.
///
/// Both adult ketamine models infusiond uses have this shape: Domino gives V1 per kilogram and rate
/// constants directly; Kamp 2020 gives volumes and clearances per 70 kg, linear in weight, so its
/// rate constants (clearance ÷ volume) do not depend on weight. A two-compartment model sets `k13`
/// and `k31` to zero. Source: docs/CLINICAL-BASIS.md §5.1.
public struct PharmacokineticParameters: Hashable, Sendable, Codable {
    /// A short name for reports ("domino", "kamp2020").
    public var name: String
    /// Central (plasma) volume V1, in litres per kilogram of body weight.
    public var centralVolumeLitresPerKilogram: Double
    /// Elimination from the central compartment, per minute.
    public var k10: Double
    /// Central → fast peripheral transfer, per minute.
    public var k12: Double
    /// Central → slow peripheral transfer, per minute (0 for a two-compartment model).
    public var k13: Double
    /// Fast peripheral → central transfer, per minute.
    public var k21: Double
    /// Slow peripheral → central transfer, per minute (0 for a two-compartment model).
    public var k31: Double

    /// The configuration file's and the `library` reply's keys, spelled here so a renamed property cannot change them.
    enum CodingKeys: String, CodingKey {
        case name, centralVolumeLitresPerKilogram, k10, k12, k13, k21, k31
    }

    public init(
        name: String,
        centralVolumeLitresPerKilogram: Double,
        k10: Double,
        k12: Double,
        k13: Double = 0,
        k21: Double,
        k31: Double = 0
    ) {
        self.name = name
        self.centralVolumeLitresPerKilogram = centralVolumeLitresPerKilogram
        self.k10 = k10
        self.k12 = k12
        self.k13 = k13
        self.k21 = k21
        self.k31 = k31
    }

    /// Builds a three-compartment model from volumes (L) and clearances (L/h) stated for a reference
    /// weight and scaled linearly with weight, as Kamp 2020 reports them.
    public static func linearInWeight(
        name: String,
        referenceWeightKilograms: Double,
        v1Litres: Double,
        v2Litres: Double,
        v3Litres: Double,
        clearanceLitresPerHour: Double,
        q2LitresPerHour: Double,
        q3LitresPerHour: Double
    ) -> PharmacokineticParameters {
        let minutesPerHour = 60.0
        return PharmacokineticParameters(
            name: name,
            centralVolumeLitresPerKilogram: v1Litres / referenceWeightKilograms,
            k10: clearanceLitresPerHour / v1Litres / minutesPerHour,
            k12: q2LitresPerHour / v1Litres / minutesPerHour,
            k13: q3LitresPerHour / v1Litres / minutesPerHour,
            k21: q2LitresPerHour / v2Litres / minutesPerHour,
            k31: q3LitresPerHour / v3Litres / minutesPerHour
        )
    }

    /// Domino et al. 1982, the classic STANPUMP-era ketamine model (docs/CLINICAL-BASIS.md §0 row 33, §5.1).
    public static let domino = PharmacokineticParameters(
        name: "domino",
        centralVolumeLitresPerKilogram: 0.063,
        k10: 0.4381,
        k12: 0.5921,
        k13: 0.5900,
        k21: 0.2470,
        k31: 0.0146
    )

    /// Kamp et al. 2020 pooled adult model, the recommended adult model (docs/CLINICAL-BASIS.md §0 row 32, §5.1):
    /// V1 25, V2 56, V3 157 L and CL 84, Q2 161, Q3 79 L/h per 70 kg, linear in weight.
    public static let kamp = linearInWeight(
        name: "kamp2020",
        referenceWeightKilograms: 70,
        v1Litres: 25,
        v2Litres: 56,
        v3Litres: 157,
        clearanceLitresPerHour: 84,
        q2LitresPerHour: 161,
        q3LitresPerHour: 79
    )

    /// Clements & Nimmo 1981 two-compartment model (docs/CLINICAL-BASIS.md §5.1), kept as a cross-check of the
    /// two-compartment path; §7 item 6 flags its V1 as unverified.
    public static let clements = PharmacokineticParameters(
        name: "clements250",
        centralVolumeLitresPerKilogram: 1.7522,
        k10: 0.0109,
        k12: 0.0186,
        k21: 0.0137
    )

    /// Hijazi et al. 2003 two-compartment model from ICU patients (docs/CLINICAL-BASIS.md §5.1).
    public static let hijazi = PharmacokineticParameters(
        name: "hijazi",
        centralVolumeLitresPerKilogram: 1.08,
        k10: 0.0333,
        k12: 0.0088,
        k21: 0.0030
    )

    /// Whether the model has a third (slow peripheral) compartment.
    public var hasThirdCompartment: Bool { k13 > 0 && k31 > 0 }
}
