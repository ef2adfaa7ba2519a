import InfusionCore

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
