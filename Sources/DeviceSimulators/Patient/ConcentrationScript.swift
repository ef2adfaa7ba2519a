/// A plasma-concentration curve to replay: points of (minutes, ng/mL), joined by straight lines,
/// flat before the first point and after the last.
///
/// Text form, one point per line, `#` starts a comment:
/// ```
/// # minutes  ng/mL
/// 0    0
/// 40   240
/// 100  40
/// ```
public struct ConcentrationScript: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        public var minutes: Double
        public var nanogramsPerMillilitre: Double

        public init(minutes: Double, nanogramsPerMillilitre: Double) {
            self.minutes = minutes
            self.nanogramsPerMillilitre = nanogramsPerMillilitre
        }
    }

    /// Why a script was refused, with the 1-based line it was found on.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// Points in increasing time order.
    public let points: [Point]

    /// A script through `points`; they are sorted by time. An empty list means zero throughout.
    public init(points: [Point]) {
        self.points = points.sorted { $0.minutes < $1.minutes }
    }

    /// A constant concentration.
    public static func constant(_ nanogramsPerMillilitre: Double) -> ConcentrationScript {
        ConcentrationScript(points: [Point(minutes: 0, nanogramsPerMillilitre: nanogramsPerMillilitre)])
    }

    /// Parses the text form. Every point needs two finite numbers, a non-negative concentration and a
    /// time later than the previous point's.
    public init(parsing text: String) throws(ParseError) {
        var points: [Point] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" })
            guard !fields.isEmpty else { continue }
            guard fields.count == 2, let minutes = Double(fields[0]), let level = Double(fields[1]),
                minutes.isFinite, level.isFinite
            else { throw ParseError(line: index + 1, reason: "expected two numbers: minutes and ng/mL") }
            guard level >= 0 else { throw ParseError(line: index + 1, reason: "concentration must not be negative") }
            if let last = points.last, minutes <= last.minutes {
                throw ParseError(line: index + 1, reason: "times must increase")
            }
            points.append(Point(minutes: minutes, nanogramsPerMillilitre: level))
        }
        self.init(points: points)
    }

    /// The concentration `minutes` after the script's origin, ng/mL.
    public func concentration(atMinutes minutes: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if minutes <= first.minutes { return first.nanogramsPerMillilitre }
        if minutes >= last.minutes { return last.nanogramsPerMillilitre }
        for (before, after) in zip(points, points.dropFirst()) where minutes <= after.minutes {
            let fraction = (minutes - before.minutes) / (after.minutes - before.minutes)
            return before.nanogramsPerMillilitre + fraction * (after.nanogramsPerMillilitre - before.nanogramsPerMillilitre)
        }
        return last.nanogramsPerMillilitre
    }
}
