import CShims

/// The one clock every timestamp of the benchmark is taken from: CLOCK_MONOTONIC, the clock the
/// daemon's core runs on, shared by every process on the machine.
enum BenchClock {
    /// Nanoseconds on CLOCK_MONOTONIC.
    static func now() -> Int64 { cshim_monotonic_now_ns() }

    /// Microseconds from `start` to `end`.
    static func microseconds(from start: Int64, to end: Int64) -> Double { Double(end - start) / 1000 }
}
