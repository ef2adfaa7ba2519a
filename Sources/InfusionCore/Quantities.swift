/// A physical quantity carried as a `Double` in one fixed unit, so that a value in mg can never be
/// passed where mL/h is expected. Encodes as a bare JSON number in that unit.
public protocol PhysicalQuantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The magnitude in the type's unit.
    var value: Double { get set }
    init(_ value: Double)
    /// The unit's symbol, as reports print it ("mg/kg/h").
    static var symbol: String { get }
}

extension PhysicalQuantity {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Double.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
    public static func + (lhs: Self, rhs: Self) -> Self { Self(lhs.value + rhs.value) }
    public static func - (lhs: Self, rhs: Self) -> Self { Self(lhs.value - rhs.value) }
    public static var zero: Self { Self(0) }
    public var description: String { "\(value) \(Self.symbol)" }
    /// True when the magnitude is finite and strictly positive: the only values a prescription may hold.
    public var isPositiveAndFinite: Bool { value.isFinite && value > 0 }
}

/// Mass of drug, in milligrams.
public struct Milligrams: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mg"
}

/// Volume of solution, in millilitres.
public struct Millilitres: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mL"
}

/// Body weight, in kilograms.
public struct Kilograms: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "kg"
}

/// Drug concentration of a syringe or bag, in mg/mL.
public struct MilligramsPerMillilitre: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mg/mL"
}

/// A weight-based dose, in mg/kg (a session total or a bolus).
public struct MilligramsPerKilogram: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mg/kg"
}

/// A weight-based dose rate, in mg/kg/h.
public struct MilligramsPerKilogramPerHour: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mg/kg/h"
}

/// An absolute dose rate, in mg/h.
public struct MilligramsPerHour: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mg/h"
}

/// A pump flow rate, in mL/h: the only rate unit a pump is ever given.
public struct MillilitresPerHour: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "mL/h"
}

// Conversions between the units. Each says which physical relation it is, so a caller never divides
// by the wrong thing.

extension Milligrams {
    /// The rate that delivers this dose in `duration`.
    public func rate(over duration: Duration) -> MilligramsPerHour { .init(value * 3_600 / duration.secondsDouble) }
    /// The same dose per kilogram of body weight.
    public func perKilogram(of weight: Kilograms) -> MilligramsPerKilogram { .init(value / weight.value) }
    /// The volume of solution holding this much drug.
    public func volume(at concentration: MilligramsPerMillilitre) -> Millilitres {
        .init(value / concentration.value)
    }
}

extension MilligramsPerKilogram {
    /// The absolute dose for a patient of `weight`.
    public func total(for weight: Kilograms) -> Milligrams { .init(value * weight.value) }
}

extension Millilitres {
    /// The drug mass in this volume of solution.
    public func drug(at concentration: MilligramsPerMillilitre) -> Milligrams { .init(value * concentration.value) }
}

extension MilligramsPerKilogramPerHour {
    /// The absolute rate for a patient of `weight`.
    public func absolute(for weight: Kilograms) -> MilligramsPerHour { .init(value * weight.value) }
}

extension MilligramsPerHour {
    /// The same rate per kilogram of body weight.
    public func perKilogram(of weight: Kilograms) -> MilligramsPerKilogramPerHour { .init(value / weight.value) }
    /// The pump flow that delivers this rate of drug from a solution of `concentration`.
    public func flow(at concentration: MilligramsPerMillilitre) -> MillilitresPerHour {
        .init(value / concentration.value)
    }
    /// The drug delivered at this rate over `duration`.
    public func dose(over duration: Duration) -> Milligrams { .init(value * duration.secondsDouble / 3_600) }
}

extension MillilitresPerHour {
    /// The drug rate this flow delivers from a solution of `concentration`.
    public func drugRate(at concentration: MilligramsPerMillilitre) -> MilligramsPerHour {
        .init(value * concentration.value)
    }
    /// The volume delivered at this flow over `duration`.
    public func volume(over duration: Duration) -> Millilitres { .init(value * duration.secondsDouble / 3_600) }
}
