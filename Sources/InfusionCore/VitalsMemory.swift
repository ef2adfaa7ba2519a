/// The latest trustworthy reading of each vital-sign parameter, plus the two latest cuff pressures
/// for the discharge check. Fixed size: one slot per `VitalParameter`.
struct VitalsMemory: Hashable, Sendable {
    struct Reading: Hashable, Sendable {
        var value: Double
        var time: MonotonicInstant
    }

    private var latest: ContiguousArray<Reading?>
    /// The reading before the latest, for parameters where two consecutive readings matter (cuff BP).
    private var previous: ContiguousArray<Reading?>

    init() {
        latest = ContiguousArray(repeating: nil, count: Self.orderedParameters.count)
        previous = latest
    }

    /// Forgets every reading: the next patient starts with none.
    mutating func forgetAll() {
        for i in latest.indices {
            latest[i] = nil
            previous[i] = nil
        }
    }

    /// Records `vital` if it is trustworthy; returns whether it was.
    @discardableResult
    mutating func record(_ vital: VitalSign) -> Bool {
        guard let value = vital.trustworthyValue, value.isFinite else { return false }
        let i = Self.index(vital.parameter)
        previous[i] = latest[i]
        latest[i] = Reading(value: value, time: vital.time)
        return true
    }

    func latest(_ parameter: VitalParameter) -> Reading? { latest[Self.index(parameter)] }
    func previous(_ parameter: VitalParameter) -> Reading? { previous[Self.index(parameter)] }

    /// Age of the latest trustworthy reading at `now`; nil when there has never been one.
    func age(of parameter: VitalParameter, at now: MonotonicInstant) -> Duration? {
        latest(parameter).map { now - $0.time }
    }

    private static func index(_ parameter: VitalParameter) -> Int {
        orderedParameters.firstIndex(of: parameter) ?? 0
    }

    /// Stored once; the synthesized `allCases` allocates on every call.
    private static let orderedParameters: [VitalParameter] = VitalParameter.allCases
}
