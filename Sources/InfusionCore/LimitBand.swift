/// Lower and upper, soft and hard limits on one quantity, in the unit its owner states.
///
/// A hard limit cannot be overridden; a soft limit can, with a confirmation and a reason
/// (docs/CLINICAL-BASIS.md §2.1). A nil bound is "no limit on that side".
public struct LimitBand: Hashable, Sendable, Codable {
    public var hardMinimum: Double?
    public var softMinimum: Double?
    public var softMaximum: Double?
    public var hardMaximum: Double?

    public init(hardMinimum: Double? = nil, softMinimum: Double? = nil, softMaximum: Double? = nil, hardMaximum: Double? = nil) {
        self.hardMinimum = hardMinimum
        self.softMinimum = softMinimum
        self.softMaximum = softMaximum
        self.hardMaximum = hardMaximum
    }

    /// No limits at all.
    public static let unlimited = LimitBand()

    /// The precision limits are compared at, relative to the limit: a value within
    /// `relativePrecision × |limit|` of a limit is at the limit, not past it.
    ///
    /// Why: a rate is stated in one unit and checked in others (mg/kg/h × kg ÷ mg/mL, and back), and
    /// binary floating point cannot hold most decimal weights and rates exactly, so 0.5 mg/kg over
    /// 40 min at 73.1 kg comes out as 0.7500000000000001 mg/kg/h against a limit of 0.75. Such a value
    /// is the limit, and a prompt for it would only teach nurses to override by reflex. One part in
    /// 10⁹ is far above the rounding of a few double operations (about 10⁻¹⁵) and far below any
    /// difference a pump can deliver (rates are programmed to 0.01 mL/h, docs/CLINICAL-BASIS.md §2.2),
    /// so it is a property of the arithmetic, not a clinical setting.
    public static let relativePrecision = 1e-9

    /// Where `value` falls, compared at `relativePrecision`. A non-finite value breaks the hard limit
    /// on the side it points to, or both when it is NaN: garbage must never pass as "within limits".
    public func classify(_ value: Double) -> LimitVerdict {
        if value.isNaN { return .hardExceeded(side: .above, limit: hardMaximum ?? .nan) }
        if let hardMaximum, Self.isAbove(value, hardMaximum) { return .hardExceeded(side: .above, limit: hardMaximum) }
        if let hardMinimum, Self.isAbove(hardMinimum, value, limit: hardMinimum) {
            return .hardExceeded(side: .below, limit: hardMinimum)
        }
        if value.isInfinite { return .hardExceeded(side: value > 0 ? .above : .below, limit: value) }
        if let softMaximum, Self.isAbove(value, softMaximum) { return .softExceeded(side: .above, limit: softMaximum) }
        if let softMinimum, Self.isAbove(softMinimum, value, limit: softMinimum) {
            return .softExceeded(side: .below, limit: softMinimum)
        }
        return .within
    }

    /// Whether `upper` exceeds `lower` by more than the precision of `limit`.
    private static func isAbove(_ upper: Double, _ lower: Double, limit: Double? = nil) -> Bool {
        upper - lower > relativePrecision * abs(limit ?? lower)
    }

    /// Problems that make the band meaningless (a soft limit outside its hard limit, min above max).
    public var inconsistencies: [String] {
        var problems: [String] = []
        let ordered = [hardMinimum, softMinimum, softMaximum, hardMaximum].compactMap { $0 }
        if ordered != ordered.sorted() { problems.append("limits out of order (hard min ≤ soft min ≤ soft max ≤ hard max)") }
        if ordered.contains(where: { !$0.isFinite }) { problems.append("non-finite limit") }
        return problems
    }
}

extension KeyedEncodingContainer {
    /// Encodes `band` with `null` for every absent bound (and `null` for no band). A drug profile is
    /// decoded as an override, reading a missing key as "keep the built-in default", so a stored
    /// profile must say which limits it lacks; elsewhere (status, events) absent bounds are left out.
    mutating func encodeExplicitly(_ band: LimitBand?, forKey key: Key) throws {
        guard let band else { return try encodeNil(forKey: key) }
        var nested = nestedContainer(keyedBy: LimitBand.CodingKeys.self, forKey: key)
        try nested.encode(band.hardMinimum, forKey: .hardMinimum)
        try nested.encode(band.softMinimum, forKey: .softMinimum)
        try nested.encode(band.softMaximum, forKey: .softMaximum)
        try nested.encode(band.hardMaximum, forKey: .hardMaximum)
    }
}

/// Which side of a band a value fell out of.
public enum LimitSide: String, Hashable, Sendable, Codable {
    case above
    case below
}

/// The result of holding a value against a `LimitBand`.
public enum LimitVerdict: Hashable, Sendable {
    case within
    case softExceeded(side: LimitSide, limit: Double)
    case hardExceeded(side: LimitSide, limit: Double)
}

extension KeyedDecodingContainer {
    /// Decodes a band that overrides `base` field by field: a missing field keeps the base value, an
    /// explicit JSON null removes that limit. So configuration can change one limit without
    /// silently dropping the others.
    func decodeBand(_ key: Key, overriding base: LimitBand) throws -> LimitBand {
        guard contains(key) else { return base }
        let nested = try nestedContainer(keyedBy: LimitBand.CodingKeys.self, forKey: key)
        return LimitBand(
            hardMinimum: try nested.decodeBound(.hardMinimum, overriding: base.hardMinimum),
            softMinimum: try nested.decodeBound(.softMinimum, overriding: base.softMinimum),
            softMaximum: try nested.decodeBound(.softMaximum, overriding: base.softMaximum),
            hardMaximum: try nested.decodeBound(.hardMaximum, overriding: base.hardMaximum)
        )
    }

    /// One optional bound of a configuration override: missing keeps `fallback`, JSON null removes it.
    func decodeBound(_ key: Key, overriding fallback: Double?) throws -> Double? {
        guard contains(key) else { return fallback }
        return try decodeNil(forKey: key) ? nil : decode(Double.self, forKey: key)
    }

    /// Decodes `key` if present, otherwise returns `fallback`.
    func decode<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

extension LimitBand {
    enum CodingKeys: String, CodingKey {
        case hardMinimum, softMinimum, softMaximum, hardMaximum
    }
}
