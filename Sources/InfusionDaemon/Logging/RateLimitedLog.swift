package import Logging
internal import Synchronization

/// One log line that may repeat in storms, written through ``LogRepetition``: the first occurrence of each
/// window in full, then one summary line ("N more in the last T s") when the window ends.
package final class RateLimitedLog: Sendable {
    private let logger: Logger
    private let level: Logger.Level
    private let message: String
    private let repetition: Mutex<LogRepetition>
    /// Whether a task already waits to write the open window's summary.
    private let summaryPending = Mutex(false)

    /// - Parameters:
    ///   - message: the line; the summary repeats it with the count.
    ///   - window: how long repetitions after a full line are only counted (default 10 s).
    package init(_ message: String, level: Logger.Level = .warning, logger: Logger, window: Duration = .seconds(10)) {
        self.logger = logger
        self.level = level
        self.message = message
        repetition = Mutex(LogRepetition(window: window))
    }

    /// Writes the line now, or counts it for the window's summary. Never waits.
    package func log(metadata: Logger.Metadata = [:]) {
        let now = ContinuousClock.now
        switch repetition.withLock({ $0.admit(at: now) }) {
        case .write(let countedBefore):
            if let countedBefore { writeSummary(countedBefore) }
            logger.log(level: level, "\(message)", metadata: metadata)
            return
        case .counted:
            break
        }
        let schedule = summaryPending.withLock { pending in
            defer { pending = true }
            return !pending
        }
        guard schedule, let end = repetition.withLock({ $0.windowEnd }) else { return }
        Task { [self] in
            try? await Task.sleep(until: end, clock: .continuous)
            summaryPending.withLock { $0 = false }
            let now = ContinuousClock.now
            if let count = repetition.withLock({ $0.summary(at: now) }) { writeSummary(count) }
        }
    }

    private func writeSummary(_ count: Int) {
        let seconds = repetition.withLock { $0.window }.components.seconds
        logger.log(level: level, "\(message): \(count) more in the last \(seconds) s")
    }
}
