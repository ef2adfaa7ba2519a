public import InfusionCore

/// The device side of a wire protocol, as a pure state machine: bytes from the host and the passage
/// of time go in, bytes to send back come out. A simulator host (pty, test harness) owns the I/O
/// and the clock; the device model owns only protocol state and physics, so it runs as well in a
/// unit test in simulated time as behind a real pseudo-terminal.
public protocol SimulatedDevice: Sendable {
    /// Consumes bytes the host wrote and returns the bytes the device answers with, if any.
    mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8]

    /// Advances the device's own clock (plunger travel, periodic frames, timers) and returns any
    /// bytes the device emits on its own.
    mutating func advance(to time: MonotonicInstant) -> [UInt8]
}
