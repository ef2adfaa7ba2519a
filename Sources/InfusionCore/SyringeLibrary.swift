/// One kind of syringe a clinic loads: the pump computes every volume from its inside diameter, so a
/// wrong diameter scales every delivered volume, and the pump's own counter agrees with the error.
public struct SyringeSpec: Hashable, Sendable, Codable {
    /// Short library id the socket uses (`bd-60`, `terumo-20`).
    public var id: String
    public var maker: String
    /// The size printed on the barrel, mL.
    public var nominalMillilitres: Double
    /// The barrel's inside diameter, mm: what the pump is set to.
    public var innerDiameterMillimetres: Double

    public init(id: String, maker: String, nominalMillilitres: Double, innerDiameterMillimetres: Double) {
        self.id = id
        self.maker = maker
        self.nominalMillilitres = nominalMillilitres
        self.innerDiameterMillimetres = innerDiameterMillimetres
    }

    /// Whether a pump's read-back diameter is this syringe's, at the pumps' printed resolution (two
    /// decimals on both families, docs/DEVICE-BASIS.md §1 and §3).
    public func matches(pumpDiameter millimetres: Double) -> Bool {
        abs(millimetres - innerDiameterMillimetres) < Self.diameterTolerance
    }

    /// Half the finest printed diameter step (0.01 mm).
    static let diameterTolerance = 0.005
}

/// The syringes a site may program, and the one each chair starts with.
///
/// The built-in entries are the inside diameters New Era's NE-1000 manual tabulates for BD, Terumo,
/// Monoject and HSW Norm-Ject syringes (docs/DEVICE-BASIS.md §1 "Syringe table"). Barrels differ by
/// maker and lot: **a site confirms each diameter with its syringe maker** and replaces this list in
/// configuration (`core.syringes`) with the syringes it actually stocks.
public struct SyringeLibrary: Hashable, Sendable, Codable {
    public var entries: [SyringeSpec]
    /// The syringe a chair is set up for until a program or syringe change names another; a chair's
    /// `syringe` setting overrides it. Default `bd-60`, the diameter the pumps were set to before the
    /// library existed.
    public var defaultID: String

    public init(entries: [SyringeSpec], defaultID: String) {
        self.entries = entries
        self.defaultID = defaultID
    }

    enum CodingKeys: String, CodingKey {
        case entries, defaultID
    }

    /// Either key may be left out: the built-in entries, or the built-in default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decode(.entries, default: Self.builtIn.entries)
        defaultID = try c.decode(.defaultID, default: Self.builtIn.defaultID)
    }

    /// The entry with `id`, if any.
    public func syringe(id: String) -> SyringeSpec? { entries.first { $0.id == id } }

    /// The entry a chair starts with.
    public var defaultSyringe: SyringeSpec? { syringe(id: defaultID) }

    /// Problems that make the library unusable: duplicate or empty ids, impossible sizes, a default
    /// that is not in the list.
    public var inconsistencies: [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        for entry in entries {
            if entry.id.isEmpty || !seen.insert(entry.id).inserted { problems.append("syringe id '\(entry.id)' is empty or repeated") }
            if !(entry.innerDiameterMillimetres > 0 && entry.innerDiameterMillimetres.isFinite) {
                problems.append("syringe \(entry.id): the inside diameter must be a positive number")
            }
            if !(entry.nominalMillilitres > 0 && entry.nominalMillilitres.isFinite) {
                problems.append("syringe \(entry.id): the nominal volume must be a positive number")
            }
        }
        if defaultSyringe == nil { problems.append("the default syringe '\(defaultID)' is not in the syringe library") }
        return problems
    }

    /// docs/DEVICE-BASIS.md §1 "Syringe table": id, nominal mL, inside diameter mm.
    public static let builtIn = SyringeLibrary(
        entries: [
            ("BD", "bd", [(1, 4.699), (3, 8.585), (5, 11.99), (10, 14.43), (20, 19.05), (30, 21.59), (60, 26.59)]),
            ("Terumo", "terumo", [(1, 4.70), (3, 8.95), (5, 13.0), (10, 15.8), (20, 20.15), (30, 23.1), (60, 29.7)]),
            ("Monoject", "monoject", [(1, 5.74), (3, 8.941), (6, 12.7), (12, 15.72), (20, 20.12), (35, 23.52), (60, 26.64)]),
            ("HSW Norm-Ject", "normject", [(1, 4.69), (3, 9.65), (5, 12.45), (10, 15.9), (20, 20.05), (30, 22.9), (50, 29.2)]),
        ].flatMap { maker, prefix, sizes in
            sizes.map { size, diameter in
                SyringeSpec(
                    id: "\(prefix)-\(Int(size))", maker: maker, nominalMillilitres: size, innerDiameterMillimetres: diameter)
            }
        },
        defaultID: "bd-60")
}
