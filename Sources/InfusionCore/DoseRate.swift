/// The unit a dose rate is expressed in, as a drug library entry or an operator states it.
public enum DoseRateUnit: String, Hashable, Sendable, Codable, CaseIterable {
    case milligramsPerKilogramPerHour = "mg/kg/h"
    case milligramsPerHour = "mg/h"
    case millilitresPerHour = "mL/h"
}

/// A dose rate in the unit the operator or library used, convertible to every other unit given the
/// patient's weight and the syringe concentration (docs/CLINICAL-BASIS.md §6.3: every rate is computed from a
/// dose in library units × weight ÷ concentration, and checked in all three units).
public struct DoseRate: Hashable, Sendable, Codable, CustomStringConvertible {
    public var value: Double
    public var unit: DoseRateUnit

    public init(_ value: Double, _ unit: DoseRateUnit) {
        self.value = value
        self.unit = unit
    }

    /// The rate as an absolute drug rate.
    public func milligramsPerHour(weight: Kilograms, concentration: MilligramsPerMillilitre) -> MilligramsPerHour {
        switch unit {
        case .milligramsPerKilogramPerHour: MilligramsPerKilogramPerHour(value).absolute(for: weight)
        case .milligramsPerHour: MilligramsPerHour(value)
        case .millilitresPerHour: MillilitresPerHour(value).drugRate(at: concentration)
        }
    }

    /// The rate as a weight-based drug rate.
    public func milligramsPerKilogramPerHour(
        weight: Kilograms,
        concentration: MilligramsPerMillilitre
    ) -> MilligramsPerKilogramPerHour {
        milligramsPerHour(weight: weight, concentration: concentration).perKilogram(of: weight)
    }

    /// The pump flow that delivers this rate.
    public func millilitresPerHour(weight: Kilograms, concentration: MilligramsPerMillilitre) -> MillilitresPerHour {
        milligramsPerHour(weight: weight, concentration: concentration).flow(at: concentration)
    }

    /// A pump flow expressed in `unit`.
    public static func from(
        _ flow: MillilitresPerHour,
        in unit: DoseRateUnit,
        weight: Kilograms,
        concentration: MilligramsPerMillilitre
    ) -> DoseRate {
        let drugRate = flow.drugRate(at: concentration)
        return switch unit {
        case .milligramsPerKilogramPerHour: DoseRate(drugRate.perKilogram(of: weight).value, unit)
        case .milligramsPerHour: DoseRate(drugRate.value, unit)
        case .millilitresPerHour: DoseRate(flow.value, unit)
        }
    }

    public var description: String { "\(value) \(unit.rawValue)" }
}
