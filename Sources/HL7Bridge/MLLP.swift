/// The Minimal Lower Layer Protocol (HL7 v2 over TCP): every message travels as
/// `0x0B <message bytes> 0x1C 0x0D` (start block, end block, carriage return).
package enum MLLP {
    package static let startBlock: UInt8 = 0x0B
    package static let endBlock: UInt8 = 0x1C
    package static let carriageReturn: UInt8 = 0x0D

    /// `message` framed for the wire.
    package static func frame(_ message: some Sequence<UInt8>) -> [UInt8] {
        [startBlock] + Array(message) + [endBlock, carriageReturn]
    }

    /// `message` (an HL7 text, segments ended by CR) framed for the wire, in UTF-8.
    package static func frame(_ message: String) -> [UInt8] { frame(Array(message.utf8)) }
}

/// Reassembles MLLP frames from bytes split any way (TCP keeps no message boundaries).
///
/// Bytes before a start block are discarded (a peer's stray newline, or the tail of a frame cut short by a
/// reconnect); a start block inside a frame restarts it (the earlier bytes were a broken frame). A frame
/// that grows past `maximumFrameBytes` is dropped and reported, so a peer that never ends one cannot
/// exhaust memory. Never traps on any input.
package struct MLLPDecoder: Sendable {
    /// What one call to ``feed(_:)`` found, in order.
    package enum Item: Equatable, Sendable {
        /// A complete message, without its framing bytes.
        case frame([UInt8])
        /// A frame longer than the bound was dropped.
        case oversized
    }

    package let maximumFrameBytes: Int
    private var buffer: [UInt8] = []
    private var inFrame = false
    private var overflowing = false
    /// A 0x1C was the last byte seen inside a frame: the next byte decides whether the frame ends.
    private var sawEndBlock = false

    package init(maximumFrameBytes: Int = 1 << 20) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// Bytes discarded outside frames since the decoder was made (for a log line about a confused peer).
    package private(set) var discardedBytes = 0

    package mutating func feed(_ bytes: some Sequence<UInt8>) -> [Item] {
        var items: [Item] = []
        for byte in bytes {
            if byte == MLLP.startBlock {
                if inFrame { discardedBytes += buffer.count }
                startFrame()
                continue
            }
            guard inFrame else {
                discardedBytes += 1
                continue
            }
            if sawEndBlock {
                sawEndBlock = false
                if byte == MLLP.carriageReturn {
                    items.append(overflowing ? .oversized : .frame(buffer))
                    inFrame = false
                    buffer = []
                    continue
                }
                // A lone 0x1C is not an end: keep it as data.
                append(MLLP.endBlock)
            }
            if byte == MLLP.endBlock {
                sawEndBlock = true
            } else {
                append(byte)
            }
        }
        return items
    }

    private mutating func startFrame() {
        inFrame = true
        overflowing = false
        sawEndBlock = false
        buffer = []
    }

    private mutating func append(_ byte: UInt8) {
        guard !overflowing else { return }
        if buffer.count >= maximumFrameBytes {
            overflowing = true
            buffer = []
        } else {
            buffer.append(byte)
        }
    }
}
