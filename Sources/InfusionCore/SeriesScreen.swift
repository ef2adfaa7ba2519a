/// The cross-session checks of one intake (docs/CLINICAL-BASIS.md §8.9): the time since the patient's last
/// infusion, the sessions in the rolling window, and the change of weight since the last session. They are
/// screened with the intake's other limits (``LimitScreen``), so one refusal names everything to confirm;
/// when it is about the series, ``refusal(replacing:events:)`` says so with the series' own code and details.
struct SeriesScreen {
    var history: PatientHistory
    var limits: SeriesLimits

    private static let secondsPerHour = 3_600.0
    private static let secondsPerDay = 86_400.0

    /// The checks for taking in a patient of `weight`; none for a patient without an earlier session.
    func checks(weight: Kilograms) -> [LimitCheck] {
        guard let latest = history.latest else { return [] }
        var checks = [
            LimitCheck(kind: .sessionInterval, value: hoursSince(latest), band: limits.intervalHours),
            LimitCheck(
                kind: .weightChange, value: abs(weight.value - latest.weight.value) / latest.weight.value,
                band: limits.weightChangeFraction),
        ]
        if limits.windowDays > 0 {
            checks.append(
                LimitCheck(kind: .sessionsInWindow, value: Double(startsInWindow.count + 1), band: limits.sessionsInWindow))
        }
        return checks
    }

    /// The refusal to answer with when the screen's refusal is about the series: `series-hard-limit` (never
    /// yields), `series-soft-limit-needs-override`, or `weight-change-needs-confirmation` when the weight is all
    /// there is to confirm; `override-reason-missing` stays as it is. `details` names each series limit involved
    /// (`sessionInterval`, `sessionsInWindow`, `weightChange`) and, where waiting helps, `nextAllowedInHours:H`.
    func refusal(replacing refusal: CoreError, events: [LimitEvent]) -> CoreError {
        let series = events.filter(\.kind.isSeries)
        guard !series.isEmpty, let first = events.first, refusal.code != "override-reason-missing" else { return refusal }
        let isHard = first.outcome == .hardRefused
        if isHard && !first.kind.isSeries { return refusal }
        var details = series.map(\.kind.rawValue)
        let wait = series.compactMap(hoursToWait(for:)).max()
        if let wait { details.append("nextAllowedInHours:\(Self.tenths(wait))") }
        var sentences = events.map(Self.sentence(for:))
        if let wait { sentences.append("the next session is allowed in \(Self.tenths(wait)) h") }
        let code: String
        if isHard {
            code = "series-hard-limit"
            sentences.append("a hard limit cannot be overridden")
        } else if series.allSatisfy({ $0.kind == .weightChange }) {
            code = "weight-change-needs-confirmation"
            sentences.append("confirm the weight with a reason to proceed")
        } else {
            code = "series-soft-limit-needs-override"
            sentences.append("confirm with a reason to proceed")
        }
        return CoreError(code: code, message: sentences.joined(separator: "; "), details: details)
    }

    private func hoursSince(_ session: PastSession) -> Double {
        (history.asOf - session.startedAt) / Self.secondsPerHour
    }

    /// Start times of the earlier sessions inside the rolling window, newest first.
    private var startsInWindow: [Double] {
        let windowStart = history.asOf - limits.windowDays * Self.secondsPerDay
        return history.sessions.map(\.startedAt).filter { $0 > windowStart }.sorted(by: >)
    }

    /// How long until the limit `event` broke would let a session through; nil where waiting does not help.
    private func hoursToWait(for event: LimitEvent) -> Double? {
        switch event.kind {
        case .sessionInterval:
            return max(0, event.limit - event.requested)
        case .sessionsInWindow:
            // Enough earlier sessions must leave the window that this one makes `limit`: the newest
            // `limit - 1` may stay, so the next one after them must drop out.
            let starts = startsInWindow
            let keep = max(0, Int(event.limit.rounded(.down)) - 1)
            guard keep < starts.count else { return nil }
            let leaves = starts[keep] + limits.windowDays * Self.secondsPerDay
            return max(0, (leaves - history.asOf) / Self.secondsPerHour)
        default:
            return nil
        }
    }

    private static func sentence(for event: LimitEvent) -> String {
        let bound = event.outcome == .hardRefused ? "hard" : "soft"
        switch event.kind {
        case .sessionInterval:
            return "the patient's last infusion started \(tenths(max(0, event.requested))) h ago, "
                + "the \(bound) minimum interval is \(tenths(event.limit)) h"
        case .sessionsInWindow:
            return "this would be session \(Int(event.requested)) in the rolling window, "
                + "the \(bound) maximum is \(Int(event.limit))"
        case .weightChange:
            return "the weight differs from the last session's by \(percent(event.requested)) %, "
                + "the \(bound) maximum is \(percent(event.limit)) %"
        default:
            return "\(event.kind.rawValue) \(event.requested) \(event.kind.unit) is \(event.side.rawValue) the \(bound) "
                + "limit \(event.limit) \(event.kind.unit)"
        }
    }

    private static func tenths(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private static func percent(_ fraction: Double) -> String { tenths(fraction * 100) }
}
