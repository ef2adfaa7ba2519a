#if canImport(Glibc)
internal import Glibc
#endif
package import InfusionCore
package import WireProtocol

/// Places the daemon's monotonic instants on the wall clock for the wire (docs/PROTOCOL.md "Times"): taken once
/// per reply, so every time in it is placed by the same pair of readings.
package struct WallClockAnchor: Sendable {
    package let monotonic: MonotonicInstant
    package let epochMilliseconds: Int64

    /// The anchor for now: `ControlLoop.now()` and `CLOCK_REALTIME` read back to back.
    package static func now() -> WallClockAnchor {
        let monotonic = ControlLoop.now()
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallClockAnchor(monotonic: monotonic, epochMilliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    package init(monotonic: MonotonicInstant, epochMilliseconds: Int64) {
        self.monotonic = monotonic
        self.epochMilliseconds = epochMilliseconds
    }

    /// `instant` on the wall clock.
    package func timestamp(_ instant: MonotonicInstant) -> WireTimestamp {
        let (distance, overflow) = monotonic.nanoseconds.subtractingReportingOverflow(instant.nanoseconds)
        return WireTimestamp(epochMilliseconds: epochMilliseconds - (overflow ? 0 : distance / 1_000_000))
    }
}
