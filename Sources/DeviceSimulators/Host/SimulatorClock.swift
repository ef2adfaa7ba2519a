#if canImport(Glibc)
import Glibc
#endif
public import InfusionCore

/// The simulated time the host feeds its device: CLOCK_MONOTONIC since start, multiplied by a
/// time scale (10 = ten simulated seconds per real second), so a long infusion runs quickly
/// behind a real pty.
public struct SimulatorClock: Sendable {
    /// Simulated seconds per real second; must be positive.
    public let timeScale: Double
    private let startNanoseconds: Int64

    public init(timeScale: Double) {
        self.timeScale = timeScale > 0 && timeScale.isFinite ? timeScale : 1
        startNanoseconds = Self.monotonicNanoseconds()
    }

    /// Simulated time now, counted from the host's start.
    public func now() -> MonotonicInstant {
        let elapsed = Double(Self.monotonicNanoseconds() - startNanoseconds)
        return MonotonicInstant(nanoseconds: Int64(elapsed * timeScale))
    }

    /// Real time needed for `duration` of simulated time.
    public func realDuration(of duration: Duration) -> Duration {
        .nanoseconds(Int64(Double(duration.nanosecondsClamped) / timeScale))
    }

    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
