/// A point on a monotonic clock, in nanoseconds from an arbitrary origin.
///
/// The core never reads a clock: every decision takes the current instant as a parameter, so a
/// 60-minute infusion runs in a unit test in milliseconds. The shell converts `CLOCK_MONOTONIC`
/// into this type; tests simply count.
public struct MonotonicInstant: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The origin of the clock; convenient for tests and simulations.
    public static let zero = MonotonicInstant(nanoseconds: 0)

    /// An instant `seconds` after the origin.
    public static func seconds(_ seconds: Double) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// Seconds since the origin, for arithmetic in physical units.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The instant `duration` later (earlier when negative).
    public func advanced(by duration: Duration) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: nanoseconds + duration.nanosecondsClamped)
    }

    /// The duration from `self` to `other` (negative when `other` is earlier).
    public func duration(to other: MonotonicInstant) -> Duration {
        .nanoseconds(other.nanoseconds - nanoseconds)
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public static func + (lhs: MonotonicInstant, rhs: Duration) -> MonotonicInstant {
        lhs.advanced(by: rhs)
    }

    public static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        rhs.duration(to: lhs)
    }

    public var description: String { "t+\(seconds)s" }
}


extension Duration {
    /// The duration in nanoseconds, clamped to `Int64`; durations in this domain are far inside that range.
    public var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product + attoseconds / 1_000_000_000
    }

    /// The duration in seconds as a `Double`, for arithmetic in physical units.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
