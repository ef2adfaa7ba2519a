/// The mechanical part of a simulated syringe pump: a plunger that travels a finite distance.
///
/// Position is kept as travel left, in cm, so that the volume moved per cm follows the diameter
/// the pump is programmed with (what a real pump computes), while the end of travel stays where
/// the loaded syringe puts it.
public struct SyringePlunger: Hashable, Sendable {
    /// Travel left before the plunger hits the end of the barrel, in cm.
    public private(set) var remainingTravelCentimetres: Double
    /// Travel available when the syringe is full, in cm.
    public let fullTravelCentimetres: Double

    /// A full syringe holding `loadedMillilitres` in a barrel of `diameterMillimetres`.
    public init(loadedMillilitres: Double, diameterMillimetres: Double) {
        let area = Self.crossSectionSquareCentimetres(diameterMillimetres: diameterMillimetres)
        fullTravelCentimetres = area > 0 ? max(0, loadedMillilitres) / area : 0
        remainingTravelCentimetres = fullTravelCentimetres
    }

    /// Cross-section of a barrel of `diameter` mm, in cm², so that cm of travel × cm² = mL.
    public static func crossSectionSquareCentimetres(diameterMillimetres diameter: Double) -> Double {
        let radius = diameter / 20
        return Double.pi * radius * radius
    }

    /// Whether the plunger has reached the end of the barrel.
    public var isAtEndOfTravel: Bool { remainingTravelCentimetres <= 0 }

    /// Pushes up to `millilitres` out of a barrel of `diameter` mm; returns the volume that moved,
    /// less when the end of travel is reached first.
    public mutating func infuse(millilitres: Double, diameterMillimetres diameter: Double) -> Double {
        let area = Self.crossSectionSquareCentimetres(diameterMillimetres: diameter)
        guard area > 0, millilitres > 0 else { return 0 }
        let travel = min(millilitres / area, remainingTravelCentimetres)
        remainingTravelCentimetres -= travel
        return travel * area
    }

    /// Pulls up to `millilitres` back in; returns the volume that moved, less at a full barrel.
    public mutating func withdraw(millilitres: Double, diameterMillimetres diameter: Double) -> Double {
        let area = Self.crossSectionSquareCentimetres(diameterMillimetres: diameter)
        guard area > 0, millilitres > 0 else { return 0 }
        let travel = min(millilitres / area, fullTravelCentimetres - remainingTravelCentimetres)
        remainingTravelCentimetres += travel
        return travel * area
    }

    /// Puts the plunger at the end of the barrel (the syringe-empty fault).
    public mutating func moveToEndOfTravel() {
        remainingTravelCentimetres = 0
    }

    /// Loads a full syringe again.
    public mutating func reload() {
        remainingTravelCentimetres = fullTravelCentimetres
    }
}
