/// Rate units of the NE-1000 `RAT` command. Reference: docs/DEVICE-BASIS.md §1 command table.
public enum NewEraRateUnits: String, CaseIterable, Hashable, Sendable {
    case microlitresPerMinute = "UM"
    case millilitresPerMinute = "MM"
    case microlitresPerHour = "UH"
    case millilitresPerHour = "MH"

    /// How many mL/h one unit is.
    public var millilitresPerHour: Double {
        switch self {
        case .microlitresPerMinute: 60.0 / 1000.0
        case .millilitresPerMinute: 60.0
        case .microlitresPerHour: 1.0 / 1000.0
        case .millilitresPerHour: 1.0
        }
    }
}

/// Volume units of `VOL` and `DIS`.
public enum NewEraVolumeUnits: String, CaseIterable, Hashable, Sendable {
    case microlitres = "UL"
    case millilitres = "ML"

    /// How many mL one unit is.
    public var millilitres: Double {
        switch self {
        case .microlitres: 1.0 / 1000.0
        case .millilitres: 1.0
        }
    }

    /// Diameters up to this many millimetres make the pump count volume in µL, larger ones in mL
    /// (docs/DEVICE-BASIS.md §1 "Units, dispensed volume": NE-500 quick start, Aladdin code agrees).
    public static let microlitreDiameterLimitMillimetres = 14.0

    /// The volume units the pump selects when its syringe diameter is set.
    public static func selected(byDiameterMillimetres diameter: Double) -> NewEraVolumeUnits {
        diameter <= microlitreDiameterLimitMillimetres ? .microlitres : .millilitres
    }
}

/// Pumping direction of `DIR`.
public enum NewEraDirection: String, CaseIterable, Hashable, Sendable {
    case infuse = "INF"
    case withdraw = "WDR"
    /// Reverses the current direction (set only; the pump never reports it).
    case reverse = "REV"
}

/// The two accumulators of dispensed volume that `CLD` clears.
public enum NewEraVolumeCounter: String, CaseIterable, Hashable, Sendable {
    case infused = "INF"
    case withdrawn = "WDR"
}
