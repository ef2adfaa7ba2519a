/// What the Data Format 2 decoder produces.
public enum NoninFormat2Event: Hashable, Sendable {
    /// A packet of exactly 25 valid frames.
    case packet(NoninFormat2Packet)
    /// Frames between two SYNC frames that did not make exactly 25 (a frame was lost or damaged);
    /// the driver counts these.
    case rejectedPacket(frameCount: Int)
}

/// Finds Data Format 2 frames in an unescaped byte stream and assembles them into packets.
///
/// Frames are not escaped, so the decoder hunts: a candidate starts with `01`, has bit 7 set in its
/// status byte and a matching checksum; otherwise one byte is discarded and the hunt goes on.
/// A packet starts at a SYNC frame and is emitted when the next SYNC frame confirms it had exactly 25
/// frames (one frame, 13 ms, of latency); frames before the first SYNC are discarded. The buffer never
/// holds more than one frame's bytes plus one packet's frames.
public struct NoninFormat2Decoder: StreamDecoder {
    public typealias Output = NoninFormat2Event

    public private(set) var discardedByteCount = 0
    private var window: [UInt8] = []
    private var packetFrames: [NoninFormat2Frame] = []
    private var assembling = false

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [NoninFormat2Event] {
        var events: [NoninFormat2Event] = []
        for byte in Array(bytes) {  // A concrete array: see StreamDecoder.
            window.append(byte)
            guard window.count == NoninFormat2Frame.byteCount else { continue }
            if let frame = NoninFormat2Frame(bytes: window) {
                window.removeAll(keepingCapacity: true)
                accept(frame, into: &events)
            } else {
                window.removeFirst()
                discardedByteCount += 1
            }
        }
        return events
    }

    private mutating func accept(_ frame: NoninFormat2Frame, into events: inout [NoninFormat2Event]) {
        if frame.status.contains(.sync) {
            if assembling { finishPacket(into: &events) }
            assembling = true
            packetFrames = [frame]
            return
        }
        guard assembling else {
            discardedByteCount += NoninFormat2Frame.byteCount
            return
        }
        // One frame beyond a full packet already proves the packet wrong; stop collecting.
        if packetFrames.count <= NoninFormat2Packet.frameCount {
            packetFrames.append(frame)
        }
    }

    private mutating func finishPacket(into events: inout [NoninFormat2Event]) {
        if let packet = NoninFormat2Packet(frames: packetFrames) {
            events.append(.packet(packet))
        } else {
            events.append(.rejectedPacket(frameCount: packetFrames.count))
        }
        packetFrames.removeAll(keepingCapacity: true)
    }
}
