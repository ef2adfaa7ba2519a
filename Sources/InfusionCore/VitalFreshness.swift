/// How old a reading of each parameter may be and still be shown as current: the same ages the core
/// alarms on, so a display never calls a value current that the core already counts as stale.
///
/// Continuous parameters take the stale-vitals maximum age (`staleVitals`, docs/CLINICAL-BASIS.md
/// §1.7: 30 s by default); cuff pressures take the age at which the cuff reading is overdue
/// (`bloodPressureCadence`, 1.5 cycles, §1.6), or none when that alarm is off.
public struct VitalFreshness: Hashable, Sendable {
    private let staleVitals: StaleVitalsPolicy
    private let cuffOverdueAge: Duration?

    public init(_ configuration: CoreConfiguration) {
        staleVitals = configuration.staleVitals
        cuffOverdueAge = configuration.bloodPressureCadence.overdueAge
    }

    /// The oldest a reading of `parameter` may be and still count as current; nil when no age applies.
    public func maximumAge(of parameter: VitalParameter) -> Duration? {
        parameter.isIntermittent ? cuffOverdueAge : staleVitals.maximumAge(of: parameter)
    }
}
