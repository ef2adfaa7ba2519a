/// The mechanical limits of an NE-family pump, from which its accepted diameters and rates follow.
///
/// Rate = plunger speed × syringe cross-section, so the rate range depends on the diameter; the
/// pump answers `?OOR` outside it. Figures: docs/DEVICE-BASIS.md §1 "Units, dispensed volume,
/// diameter and rate limits" (labmcp citing NE-1000 manual §12.5; cross-checked against New Era's
/// published 0.73 µL/h – 1700 mL/h range).
public struct NewEraPumpLimits: Hashable, Sendable {
    /// Syringe inside diameters the pump accepts, in mm.
    public var diameterMillimetres: ClosedRange<Double>
    /// Slowest plunger speed, cm/h.
    public var minimumPlungerSpeedCentimetresPerHour: Double
    /// Fastest plunger speed, cm/min.
    public var maximumPlungerSpeedCentimetresPerMinute: Double

    public init(
        diameterMillimetres: ClosedRange<Double>,
        minimumPlungerSpeedCentimetresPerHour: Double,
        maximumPlungerSpeedCentimetresPerMinute: Double
    ) {
        self.diameterMillimetres = diameterMillimetres
        self.minimumPlungerSpeedCentimetresPerHour = minimumPlungerSpeedCentimetresPerHour
        self.maximumPlungerSpeedCentimetresPerMinute = maximumPlungerSpeedCentimetresPerMinute
    }

    /// NE-1000: 0.1–50.0 mm (Aladdin code comment, an inference), 0.004205 cm/h to 5.1005 cm/min.
    public static let ne1000 = NewEraPumpLimits(
        diameterMillimetres: 0.1...50.0,
        minimumPlungerSpeedCentimetresPerHour: 0.004205,
        maximumPlungerSpeedCentimetresPerMinute: 5.1005
    )

    /// Cross-section of a syringe of `diameter` mm, in cm² (so cm of travel × cm² = mL).
    public static func crossSectionSquareCentimetres(diameterMillimetres diameter: Double) -> Double {
        let radiusCentimetres = diameter / 20
        return Double.pi * radiusCentimetres * radiusCentimetres
    }

    /// The rates the pump accepts with a syringe of `diameter` mm, in mL/h.
    public func rateRangeMillilitresPerHour(diameterMillimetres diameter: Double) -> ClosedRange<Double> {
        let area = Self.crossSectionSquareCentimetres(diameterMillimetres: diameter)
        let minimum = minimumPlungerSpeedCentimetresPerHour * area
        let maximum = maximumPlungerSpeedCentimetresPerMinute * 60 * area
        return minimum...max(minimum, maximum)
    }
}
