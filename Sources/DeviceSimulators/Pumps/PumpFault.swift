import InfusionCore

/// The fault switches of the simulated pumps, settable while they run through the control channel.
/// Each changes what the host sees the way the real fault would (docs/SIMULATORS.md).
public enum PumpFault: String, CaseIterable, Hashable, Sendable {
    /// The line is blocked: a moving plunger stalls and the pump alarms (NE `A?S`, Harvard `*`).
    case occlusion
    /// The plunger is at the end of the barrel; a running pump stops with the end-of-travel alarm.
    /// Turning it off loads a full syringe.
    case syringeEmpty = "syringe-empty"
    /// The motor stalls without a blockage (same wire signal as occlusion on both families).
    case stall
    /// The pump executes commands but its replies are lost.
    case noReply = "no-reply"
    /// Replies arrive damaged: one byte changed and the final byte dropped.
    case garbledReply = "garbled-reply"
    /// Replies arrive late, after the configured delay.
    case slowReply = "slow-reply"
    /// The serial link is gone: the host closes the pseudo-terminal (handled by the simulator host).
    case disconnect
    /// Expires the NE safe-mode timer at once, as if the host had been silent past the timeout.
    /// Momentary; only meaningful while safe mode is on.
    case safeModeExpiry = "safe-mode-expiry"

    /// Whether the motor cannot move while this fault is on.
    var blocksMotor: Bool { self == .occlusion || self == .stall }
}

/// What happens to the bytes a pump wants to send, given the active faults: dropped, damaged or
/// delayed. Shared by both pump models so the transport faults behave alike.
struct PumpReplyShaper: Hashable, Sendable {
    /// How late a reply arrives under `.slowReply`.
    var slowReplyDelay: Duration
    private var delayed: [DelayedBytes] = []

    private struct DelayedBytes: Hashable, Sendable {
        var due: MonotonicInstant
        var bytes: [UInt8]
    }

    init(slowReplyDelay: Duration) {
        self.slowReplyDelay = slowReplyDelay
    }

    /// The bytes to send now for a message `bytes` produced at `time`.
    mutating func shape(_ bytes: [UInt8], faults: Set<PumpFault>, at time: MonotonicInstant) -> [UInt8] {
        guard !bytes.isEmpty, !faults.contains(.noReply) else { return [] }
        var shaped = bytes
        if faults.contains(.garbledReply) {
            // Line noise: a changed byte defeats a checksum, a lost last byte defeats framing.
            shaped[shaped.count / 2] ^= 0x55
            shaped.removeLast()
        }
        if faults.contains(.slowReply) {
            delayed.append(DelayedBytes(due: time + slowReplyDelay, bytes: shaped))
            return []
        }
        return shaped
    }

    /// Delayed bytes that are due by `time`, oldest first.
    mutating func due(at time: MonotonicInstant) -> [UInt8] {
        let ready = delayed.filter { $0.due <= time }
        delayed.removeAll { $0.due <= time }
        return ready.flatMap(\.bytes)
    }
}
