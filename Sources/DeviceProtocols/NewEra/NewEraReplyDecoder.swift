/// Host side: turns bytes from an NE-1000 into replies, in either framing, whatever the split.
///
/// Framing is recognised per reply, so the decoder follows the pump in and out of safe mode by
/// itself: after STX, Basic has two address digits then a status letter, Safe has the LEN byte
/// then two address digits. Bytes before an STX are discarded and counted. A damaged frame
/// (bad CRC, bad ETX, unknown status, cut short by a new STX, overlong) is reported as
/// `.damaged`, and decoding resumes at the next STX. The buffer never holds more than one
/// maximal safe packet.
public struct NewEraReplyDecoder: StreamDecoder {
    /// What the decoder yields.
    public enum Output: Hashable, Sendable {
        case reply(NewEraReply)
        case damaged(NewEraFrameDamage)
    }

    public private(set) var discardedByteCount = 0
    private var buffer: [UInt8] = []

    /// The longest Basic reply accepted; real replies are under 40 bytes.
    static let maximumBasicFrameLength = 128
    /// The shortest LEN of a safe reply: `00S` plus the four framing bytes.
    static let minimumSafeReplyLength = 7

    public init() {}

    /// Bytes held for the reply being assembled; never more than one maximal safe packet.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [Output] {
        buffer.append(contentsOf: bytes)
        var outputs: [Output] = []
        while let output = nextOutput() {
            if let output { outputs.append(output) }
        }
        return outputs
    }

    /// Drops a partly received reply, e.g. after the driver's reply timeout.
    public mutating func reset() {
        discardedByteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Consumes what the buffer allows: `.some(output)` for a result, `.some(nil)` when bytes were
    /// consumed without a result, `nil` when more input is needed.
    private mutating func nextOutput() -> Output?? {
        guard let start = buffer.firstIndex(of: NewEraFraming.startOfText) else {
            discardedByteCount += buffer.count
            buffer.removeAll(keepingCapacity: true)
            return nil
        }
        if start > 0 {
            discardedByteCount += start
            buffer.removeFirst(start)
        }
        guard buffer.count >= 4 else { return nil }
        let isDigit = { (byte: UInt8) in PumpASCII.digit(byte) != nil }
        if isDigit(buffer[1]), isDigit(buffer[2]), !isDigit(buffer[3]) {
            return basicFrame()
        }
        if isDigit(buffer[2]), isDigit(buffer[3]) {
            return safeFrame()
        }
        return reject(.malformed, dropping: 1)
    }

    private mutating func basicFrame() -> Output?? {
        for index in 1..<min(buffer.count, Self.maximumBasicFrameLength) {
            switch buffer[index] {
            case NewEraFraming.endOfText:
                let frameLength = index + 1
                guard let reply = NewEraReply(data: buffer[1..<index], framing: .basic) else {
                    return reject(.malformed, dropping: frameLength)
                }
                buffer.removeFirst(frameLength)
                return .some(.reply(reply))
            case NewEraFraming.startOfText:
                return reject(.truncated, dropping: index)
            default:
                continue
            }
        }
        return buffer.count >= Self.maximumBasicFrameLength ? reject(.overlong, dropping: 1) : nil
    }

    private mutating func safeFrame() -> Output?? {
        let length = Int(buffer[1])
        guard length >= Self.minimumSafeReplyLength else { return reject(.malformed, dropping: 1) }
        let frameLength = 1 + length
        guard buffer.count >= frameLength else { return nil }
        guard let data = NewEraFraming.safeData(ofPacket: buffer[0..<frameLength]) else {
            return reject(.checksum, dropping: 1)
        }
        guard let reply = NewEraReply(data: data, framing: .safe) else {
            return reject(.malformed, dropping: frameLength)
        }
        buffer.removeFirst(frameLength)
        return .some(.reply(reply))
    }

    private mutating func reject(_ damage: NewEraFrameDamage, dropping count: Int) -> Output?? {
        discardedByteCount += count
        buffer.removeFirst(count)
        return .some(.damaged(damage))
    }
}

/// Why a frame was rejected.
public enum NewEraFrameDamage: Hashable, Sendable {
    /// Safe packet whose CRC or ETX does not match.
    case checksum
    /// A new STX arrived before the frame's ETX.
    case truncated
    /// No ETX within the longest plausible frame.
    case overlong
    /// Framing was intact but the content is not a reply (or a LEN too small to hold one).
    case malformed
}
