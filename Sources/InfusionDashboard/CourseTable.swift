package import WireProtocol

/// `infusionctl course`: a patient's sessions as a table, one row per session, then the trend of each outcome
/// score across the sessions that recorded it. Pure: the reply in, lines out.
package enum CourseTable {
    private static let headers = [
        "#", "date (UTC)", "chair", "profile", "kg", "mg", "mg/kg", "min", "SBP max", "HR max", "SpO2 min", "alarms",
        "outcome", "observations (lowest-highest)", "scores",
    ]

    /// The table and the trends, as lines without newlines.
    package static func render(_ course: PatientCourse) -> [String] {
        guard !course.sessions.isEmpty else { return ["patient \(course.patientID): no sessions in the audit log"] }
        let rows = course.sessions.map(row)
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.indices.map { DashboardRenderer.padded(cells[$0], widths[$0]) }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = ["patient \(course.patientID): \(course.sessions.count) sessions", line(headers)]
        lines += rows.map(line)
        let trends = course.outcomeScales.compactMap { trend(of: $0, in: course.sessions) }
        if !trends.isEmpty { lines += ["", "outcome trend (oldest to newest):"] + trends }
        return lines
    }

    private static func row(_ session: CourseSession) -> [String] {
        let place = session.seriesNumber.map(String.init) ?? "-"
        let date = String(String(describing: session.startedAt ?? session.takenInAt).prefix(16)).replacingT()
        let observations = session.observations.map { extremes in
            extremes.lowest == extremes.highest
                ? "\(extremes.scale) \(extremes.lowest)" : "\(extremes.scale) \(extremes.lowest)-\(extremes.highest)"
        }
        return [
            place, date, session.chair, session.profileID, DashboardRenderer.number(session.weightKilograms, 1),
            DashboardRenderer.number(session.deliveredMilligrams, 1),
            DashboardRenderer.number(session.deliveredMilligramsPerKilogram, 2), optional(session.durationMinutes, 0),
            optional(session.peakSystolic, 0), optional(session.peakHeartRate, 0), optional(session.lowestSpO2, 0),
            String(session.alarmCount), session.outcome.rawValue,
            observations.isEmpty ? "-" : observations.joined(separator: ", "),
            session.outcomes.isEmpty ? "-" : session.outcomes.map { "\($0.scale) \($0.value)" }.joined(separator: ", "),
        ]
    }

    /// `phq9   18 14 9   █▅▁`: the scores in session order and their sparkline; nil when no session scored it.
    private static func trend(of scale: String, in sessions: [CourseSession]) -> String? {
        let values = sessions.compactMap { session in session.outcomes.first { $0.scale == scale }?.value }
        guard !values.isEmpty else { return nil }
        let numbers = values.map(String.init).joined(separator: " ")
        return "  \(scale)  \(numbers)  \(DashboardRenderer.sparkline(values.map(Double.init)))"
    }

    private static func optional(_ value: Double?, _ decimals: Int) -> String {
        value.map { DashboardRenderer.number($0, decimals) } ?? "-"
    }
}

extension String {
    /// `2026-12-07T09:00` as `2026-12-07 09:00`.
    fileprivate func replacingT() -> String { String(map { $0 == "T" ? " " : $0 }) }
}
