import InfusionCore

/// What happens to the bytes a pump wants to send, given the active faults: dropped, damaged,
/// delayed or surrounded by noise. Shared by both pump models so the transport faults behave alike.
struct PumpReplyShaper: Hashable, Sendable {
    /// How late a reply arrives under `.slowReply`.
    var slowReplyDelay: Duration
    /// What the line adds under `.noise`.
    var noise: LineNoise
    private var delayed: [DelayedBytes] = []

    private struct DelayedBytes: Hashable, Sendable {
        var due: MonotonicInstant
        var bytes: [UInt8]
    }

    init(slowReplyDelay: Duration, noiseSeed: UInt64) {
        self.slowReplyDelay = slowReplyDelay
        noise = LineNoise(seed: noiseSeed)
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
        shaped = noise.burst(on: faults.contains(.noise)) + shaped
        if faults.contains(.slowReply) {
            delayed.append(DelayedBytes(due: time + slowReplyDelay, bytes: shaped))
            return []
        }
        return shaped
    }

    /// Noise between replies up to `time`, then the delayed bytes that are due by `time`, oldest first.
    mutating func due(at time: MonotonicInstant, faults: Set<PumpFault>) -> [UInt8] {
        let ready = delayed.filter { $0.due <= time }
        delayed.removeAll { $0.due <= time }
        return noise.between(until: time, on: faults.contains(.noise)) + ready.flatMap(\.bytes)
    }
}
