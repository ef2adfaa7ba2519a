import Foundation

/// Checks on the protocol's times (docs/PROTOCOL.md "Times"): ISO 8601 UTC with milliseconds, on the wall clock.
enum WireClockText {
    /// Whether `value` is a time text within a minute of this machine's wall clock (the daemon runs here too).
    static func isWallClock(_ value: Any?) -> Bool {
        guard let text = value as? String, let date = date(text) else { return false }
        return abs(date.timeIntervalSinceNow) < 60
    }

    /// The instant a time text names, or nil when it is not `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func date(_ text: String) -> Date? {
        guard text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil else { return nil }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
