@testable import InfusionDaemon
import Testing

/// Issue 21: a storm of one log line costs a line per window and a summary, in simulated time.
@Suite struct LogRepetitionTests {
    private let start = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int64(seconds * 1000)) }

    @Test func theFirstIsWrittenTheRestCountedAndSummarisedOnceTheWindowEnds() {
        var repetition = LogRepetition(window: .seconds(10))
        #expect(repetition.admit(at: at(0)) == .write(countedBefore: nil))
        for tenth in 1...999 { #expect(repetition.admit(at: at(Double(tenth) / 1000)) == .counted) }
        #expect(repetition.summary(at: at(9.9)) == nil, "not before the window ends")
        #expect(repetition.windowEnd == at(10))
        #expect(repetition.summary(at: at(10)) == 999)
        #expect(repetition.summary(at: at(11)) == nil, "taken once")
        #expect(repetition.admit(at: at(30)) == .write(countedBefore: nil), "a later occurrence is written in full")
    }

    @Test func aLoneLineHasNoSummary() {
        var repetition = LogRepetition(window: .seconds(10))
        #expect(repetition.admit(at: at(0)) == .write(countedBefore: nil))
        #expect(repetition.summary(at: at(10)) == nil)
        #expect(repetition.admit(at: at(10.5)) == .write(countedBefore: nil))
    }

    @Test func aCountNotYetSummarisedComesWithTheNextFullLine() {
        var repetition = LogRepetition(window: .seconds(10))
        _ = repetition.admit(at: at(0))
        _ = repetition.admit(at: at(1))
        _ = repetition.admit(at: at(2))
        // The window ended but nobody took the summary yet: the next full line carries it, nothing is lost.
        #expect(repetition.admit(at: at(12)) == .write(countedBefore: 2))
        #expect(repetition.admit(at: at(13)) == .counted)
        #expect(repetition.summary(at: at(22)) == 1)
    }
}
