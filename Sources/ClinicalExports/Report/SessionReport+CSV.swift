extension SessionReport {
    /// The CSV columns, in order; the header row prints these names.
    public static let csvColumns = [
        "kind", "time", "time_ms", "subject", "value", "unit", "status", "actor_uid", "actor_role", "reason", "details",
    ]

    /// The timeline as one RFC 4180 table: a header row, then one row per record in time order;
    /// CRLF line ends; a field is quoted when it holds a comma, a quote, CR or LF, and quotes are
    /// doubled. `details` prints as `name=value` pairs, sorted by name, separated by `;`.
    public func csv() -> String {
        var lines = [Self.csvLine(Self.csvColumns)]
        for row in timeline {
            let details = row.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            lines.append(
                Self.csvLine([
                    row.kind, row.time, "\(row.timeMs)", row.subject, DecimalText.format(optional: row.value),
                    row.unit ?? "", row.status ?? "", row.actorUID.map { "\($0)" } ?? "", row.actorRole ?? "",
                    row.reason ?? "", details,
                ]))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// One record of fields, quoted where RFC 4180 requires it.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            guard needsQuotes else { return field }
            var quoted = "\""
            for character in field {
                quoted.append(character)
                if character == "\"" { quoted.append("\"") }
            }
            return quoted + "\""
        }.joined(separator: ",")
    }
}
