/// Why a received IntelliVue frame was dropped.
public enum IntelliVueFrameError: Hashable, Sendable {
    /// The FCS did not match: line noise.
    case badChecksum
    /// The protocol id or message type is not Data Export, or the frame is shorter than a header.
    case badHeader
    /// The header's length disagrees with the bytes received.
    case lengthMismatch
    /// The sender aborted the frame (`7D C1`).
    case aborted
    /// A new frame began before this one ended.
    case truncated
    /// The frame grew past the decoder's bound.
    case tooLong
}

/// What the frame decoder produces.
public enum IntelliVueFrameEvent: Hashable, Sendable {
    /// The user data of a frame whose header and FCS checked.
    case message([UInt8])
    /// A frame that failed a check; the driver counts these.
    case rejected(IntelliVueFrameError)
}

/// Reassembles IntelliVue RS232 frames from bytes in any split.
///
/// Bytes outside a frame are discarded (and counted) until the next `C0`. The unescaped frame is
/// bounded by `maximumFrameLength`, so a stream without `C1` cannot grow memory.
public struct IntelliVueFrameDecoder: StreamDecoder {
    public typealias Output = IntelliVueFrameEvent

    /// The largest unescaped frame kept (header, user data and FCS). The monitor negotiates its
    /// transmit MTU at association (1456 bytes in the reference AARE); the default leaves room.
    public let maximumFrameLength: Int
    public private(set) var discardedByteCount = 0
    private var frame: [UInt8] = []
    private var inFrame = false
    private var escaping = false

    public init(maximumFrameLength: Int = 4096) {
        self.maximumFrameLength = max(IntelliVueFraming.overhead, maximumFrameLength)
    }

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [IntelliVueFrameEvent] {
        var events: [IntelliVueFrameEvent] = []
        for byte in Array(bytes) {  // A concrete array: see StreamDecoder.
            if let event = consume(byte) { events.append(event) }
        }
        return events
    }

    private mutating func consume(_ byte: UInt8) -> IntelliVueFrameEvent? {
        guard inFrame else {
            if byte == IntelliVueFraming.beginningOfFrame {
                begin()
            } else {
                discardedByteCount += 1
            }
            return nil
        }
        switch byte {
        case IntelliVueFraming.beginningOfFrame:
            discardedByteCount += frame.count
            begin()
            return .rejected(.truncated)
        case IntelliVueFraming.endOfFrame:
            inFrame = false
            if escaping {
                discardedByteCount += frame.count
                return .rejected(.aborted)
            }
            return finish()
        case IntelliVueFraming.controlEscape where !escaping:
            escaping = true
            return nil
        default:
            frame.append(escaping ? byte ^ IntelliVueFraming.escapeMask : byte)
            escaping = false
            guard frame.count <= maximumFrameLength else {
                discardedByteCount += frame.count
                inFrame = false
                frame.removeAll(keepingCapacity: true)
                return .rejected(.tooLong)
            }
            return nil
        }
    }

    private mutating func begin() {
        inFrame = true
        escaping = false
        frame.removeAll(keepingCapacity: true)
    }

    private mutating func finish() -> IntelliVueFrameEvent {
        defer { frame.removeAll(keepingCapacity: true) }
        guard frame.count >= IntelliVueFraming.overhead, frame[0] == IntelliVueFraming.protocolIdentifier,
            frame[1] == IntelliVueFraming.messageType
        else {
            discardedByteCount += frame.count
            return .rejected(.badHeader)
        }
        let declared = Int(frame[2]) << 8 | Int(frame[3])
        guard declared == frame.count - IntelliVueFraming.overhead else {
            discardedByteCount += frame.count
            return .rejected(.lengthMismatch)
        }
        let received = UInt16(frame[frame.count - 1]) << 8 | UInt16(frame[frame.count - 2])
        guard CRC16.x25.checksum(frame.dropLast(2)) == received else {
            discardedByteCount += frame.count
            return .rejected(.badChecksum)
        }
        return .message(Array(frame[4..<(frame.count - 2)]))
    }
}
