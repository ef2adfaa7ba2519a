public import InfusionCore

/// Noise on a device's serial line while its noise fault is on (the pumps' `noise`, the monitors'
/// `garbage`; docs/SIMULATORS.md): a burst of random bytes before each message, and, at `bytesPerSecond`
/// of the device's time, random bytes between messages, as a noisy RS-232 line delivers them unprompted.
///
/// Noise goes only between whole messages, never inside one, so every message the device sends still
/// arrives intact: the host's task is to tell noise from messages and to find the next message after it
/// (a message damaged in transit is the pumps' `garbled-reply` fault). The generator is seeded, so a run
/// repeats with the same seed; every byte made is counted, for the control channel's `state`.
public struct LineNoise: Hashable, Sendable {
    /// How many random bytes go before each message.
    public var burstLength: ClosedRange<Int>
    /// Random bytes per second (device time) sent between messages; 0 sends noise only before messages.
    public var bytesPerSecond: Double
    /// Every noise byte made since the device started.
    public private(set) var bytesWritten = 0
    private var random: SeededRandomGenerator
    /// Where the noise between messages has been made up to; nil while the fault is off.
    private var streamedUntil: MonotonicInstant?
    /// The fraction of a byte owed from the last call.
    private var owed = 0.0

    /// Longest accepted `bytesPerSecond`: 1 MB/s, about 9 times what a 115,200-baud line carries.
    public static let maximumBytesPerSecond = 1_000_000.0

    public init(seed: UInt64, burstLength: ClosedRange<Int> = 3...24, bytesPerSecond: Double = 0) {
        random = SeededRandomGenerator(seed: seed)
        self.burstLength = burstLength
        self.bytesPerSecond = bytesPerSecond
    }

    /// The bytes to put before a message: a burst when `on`, nothing otherwise.
    public mutating func burst(on: Bool) -> [UInt8] {
        guard on else { return [] }
        return bytes(Int.random(in: burstLength, using: &random))
    }

    /// The bytes that fall between messages from the previous call up to `time` when `on`. A line does not
    /// store noise: after a gap longer than a second (the device not advanced) only one second's worth
    /// comes, and noise switched on again starts from `time`, without the backlog of the time it was off.
    public mutating func between(until time: MonotonicInstant, on: Bool) -> [UInt8] {
        switched(on: on, at: time)
        guard on, bytesPerSecond > 0, let since = streamedUntil else { return [] }
        streamedUntil = max(since, time)
        owed = min(owed + bytesPerSecond * max(0, (time - since).secondsDouble), bytesPerSecond)
        let count = Int(owed)
        owed -= Double(count)
        return bytes(count)
    }

    /// Tells the noise its fault is now `on` (or off) from `time`, so the noise between messages starts at
    /// the switch, not at the device's next message.
    public mutating func switched(on: Bool, at time: MonotonicInstant) {
        if !on {
            streamedUntil = nil
            owed = 0
        } else if streamedUntil == nil {
            streamedUntil = time
        }
    }

    private mutating func bytes(_ count: Int) -> [UInt8] {
        bytesWritten += count
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }
}
