/// A small line diff for golden files: the first differing lines with some context, enough for a
/// person to see what changed.
public enum LineDiff {
    /// nil when `expected` and `actual` have the same lines; otherwise a report around the first difference.
    public static func describe(expected: String, actual: String, context: Int = 3) -> String? {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        guard old != new else { return nil }
        let first = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
        let start = max(0, first - context)
        var report = "first difference at line \(first + 1) (golden \(old.count) lines, this run \(new.count)):"
        for index in start..<min(first + context, max(old.count, new.count)) {
            let expectedLine = index < old.count ? String(old[index]) : "<none>"
            let actualLine = index < new.count ? String(new[index]) : "<none>"
            if expectedLine == actualLine {
                report += "\n    \(expectedLine)"
            } else {
                report += "\n  - \(expectedLine)\n  + \(actualLine)"
            }
        }
        return report
    }
}
