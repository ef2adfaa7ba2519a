/// Which occurrences of one repeated log line to write: the first of a window in full, the rest as one summary
/// when the window ends ("N more in the last T s"), so a storm (a thousand clients dropped before they were
/// served) costs two lines per window instead of a thousand. Pure: time comes in as a parameter.
package struct LogRepetition: Sendable, Equatable {
    /// How long after a line written in full its repetitions are only counted.
    package let window: Duration
    /// When the current window began (the last line written in full), nil when none is open.
    private var windowStart: ContinuousClock.Instant?
    /// Occurrences counted and not yet summarised.
    private(set) package var suppressed = 0

    package init(window: Duration) {
        self.window = window
    }

    /// What to do with one occurrence.
    package enum Verdict: Sendable, Equatable {
        /// Write it in full, after a summary of `countedBefore` occurrences if the last window's summary was
        /// not taken yet.
        case write(countedBefore: Int?)
        /// Counted for the window's summary.
        case counted
    }

    /// Whether the occurrence at `now` is written in full or counted for the summary.
    package mutating func admit(at now: ContinuousClock.Instant) -> Verdict {
        if let windowStart, now - windowStart < window {
            suppressed += 1
            return .counted
        }
        let before = suppressed > 0 ? suppressed : nil
        suppressed = 0
        windowStart = now
        return .write(countedBefore: before)
    }

    /// When the open window ends, if any: the moment to take the summary.
    package var windowEnd: ContinuousClock.Instant? { windowStart.map { $0 + window } }

    /// The occurrences counted since the last summary, to write as one line when the window ended by `now`;
    /// nil when there is none (yet). Closes the window, so the next occurrence is written in full again.
    package mutating func summary(at now: ContinuousClock.Instant) -> Int? {
        guard let windowEnd, now >= windowEnd else { return nil }
        windowStart = nil
        defer { suppressed = 0 }
        return suppressed > 0 ? suppressed : nil
    }
}
