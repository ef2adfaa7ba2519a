/// An absolute instant in UTC, as the audit store records wall time: whole milliseconds since
/// 1970-01-01T00:00:00Z. Exports print it; nothing here reads a clock.
///
/// Encodes as a bare JSON integer (milliseconds), so a record set round-trips exactly.
public struct UTCInstant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, UTC. Negative values are instants before 1970.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: UTCInstant, rhs: UTCInstant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }

    /// ISO 8601 / RFC 3339 with milliseconds and a `Z` suffix, e.g. `2026-03-14T09:26:53.589Z`:
    /// the form FHIR `dateTime`/`instant` and the JSON/CSV reports use.
    public var iso8601: String {
        let c = components
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):"
            + "\(pad(c.second, 2)).\(pad(c.millisecond, 3))Z"
    }

    /// HL7 v2 DTM with milliseconds and an explicit UTC offset, e.g. `20260314092653.589+0000`.
    public var hl7: String {
        let c = components
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))\(pad(c.hour, 2))\(pad(c.minute, 2))"
            + "\(pad(c.second, 2)).\(pad(c.millisecond, 3))+0000"
    }

    public var description: String { iso8601 }

    /// The proleptic Gregorian calendar fields of this instant in UTC.
    var components:
        (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64)
    {
        let millisecondsPerDay: Int64 = 86_400_000
        // Floor division, so instants before 1970 land on the right day.
        var days = millisecondsSinceEpoch / millisecondsPerDay
        var remainder = millisecondsSinceEpoch % millisecondsPerDay
        if remainder < 0 {
            remainder += millisecondsPerDay
            days -= 1
        }
        let date = Self.civilDate(daysSinceEpoch: days)
        return (
            date.year, date.month, date.day, remainder / 3_600_000, remainder / 60_000 % 60, remainder / 1_000 % 60,
            remainder % 1_000
        )
    }

    /// Days since 1970-01-01 to a Gregorian date, counting in 400-year eras (146 097 days each) whose
    /// years start on 1 March, so the leap day falls at the end of the counted year.
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
