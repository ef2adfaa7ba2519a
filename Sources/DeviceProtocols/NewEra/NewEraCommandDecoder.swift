/// Device side: turns bytes from the host into requests, the way an NE-1000 reads its port.
///
/// An STX starts a safe packet (accepted in either mode, as nesp-lib's opening safe `0SAF0`
/// requires); anything else is a Basic line up to CR. A safe packet with a bad CRC, ETX or LEN
/// yields `.damaged` with the address if its first bytes are readable, so the pump can answer
/// `?COM`. Lines longer than `maximumLineLength` are discarded. `discardPartialFrame()` lets the
/// device apply the manual's 0.5 s inter-byte timeout, since the decoder itself knows no time.
public struct NewEraCommandDecoder: StreamDecoder {
    /// What the decoder yields.
    public enum Output: Hashable, Sendable {
        /// A complete command and the framing it came in.
        case request(NewEraRequest, NewEraFraming)
        /// A safe packet that failed its checks; `addressing` when the data's prefix was readable.
        case damaged(NewEraRequest.Addressing?)
    }

    public private(set) var discardedByteCount = 0
    private var buffer: [UInt8] = []
    /// Set after an overlong line was dropped: the rest of it, up to CR or STX, is dropped too, so
    /// the result does not depend on how the bytes were split.
    private var skippingOverlongLine = false

    /// The longest Basic line kept; commands are under 20 characters.
    public static let maximumLineLength = 64
    /// LEN of the shortest safe packet: empty data plus the four framing bytes.
    static let minimumSafeLength = 4

    public init() {}

    /// Whether a safe packet has started but not yet finished; the manual's 0.5 s inter-byte
    /// timeout applies to these (a Basic line may be typed by hand).
    public var isAssemblingSafePacket: Bool { buffer.first == NewEraFraming.startOfText }

    /// Bytes held for the command being assembled; never more than one maximal safe packet.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [Output] {
        buffer.append(contentsOf: bytes)
        var outputs: [Output] = []
        while let output = nextOutput() {
            if let output { outputs.append(output) }
        }
        return outputs
    }

    /// Forgets a partly received command (inter-byte timeout); returns how many bytes were dropped.
    @discardableResult
    public mutating func discardPartialFrame() -> Int {
        let count = buffer.count
        discardedByteCount += count
        buffer.removeAll(keepingCapacity: true)
        skippingOverlongLine = false
        return count
    }

    private mutating func nextOutput() -> Output?? {
        guard let first = buffer.first else { return nil }
        if skippingOverlongLine { return skipRestOfOverlongLine() }
        return first == NewEraFraming.startOfText ? safePacket() : basicLine()
    }

    private mutating func basicLine() -> Output?? {
        let end = buffer.firstIndex { $0 == NewEraFraming.carriageReturn || $0 == NewEraFraming.startOfText }
        guard let end else {
            if buffer.count > Self.maximumLineLength {
                discard(buffer.count)
                skippingOverlongLine = true
            }
            return nil
        }
        if buffer[end] == NewEraFraming.startOfText {
            // A packet begins: what came before it was never terminated, so it is noise.
            discard(end)
            return .some(nil)
        }
        let line = buffer[..<end]
        defer { buffer.removeFirst(end + 1) }
        guard line.count <= Self.maximumLineLength else {
            discardedByteCount += end + 1
            return .some(nil)
        }
        return .some(.request(NewEraRequest(parsing: line), .basic))
    }

    private mutating func skipRestOfOverlongLine() -> Output?? {
        guard let end = buffer.firstIndex(where: { $0 == NewEraFraming.carriageReturn || $0 == NewEraFraming.startOfText })
        else {
            discard(buffer.count)
            return nil
        }
        skippingOverlongLine = false
        discard(buffer[end] == NewEraFraming.carriageReturn ? end + 1 : end)
        return .some(nil)
    }

    private mutating func safePacket() -> Output?? {
        guard buffer.count >= 2 else { return nil }
        let length = Int(buffer[1])
        guard length >= Self.minimumSafeLength else {
            discard(2)
            return .some(.damaged(nil))
        }
        let packetLength = 1 + length
        guard buffer.count >= packetLength else { return nil }
        let packet = buffer[0..<packetLength]
        defer { buffer.removeFirst(packetLength) }
        guard let data = NewEraFraming.safeData(ofPacket: packet) else {
            discardedByteCount += packetLength
            return .some(.damaged(Self.readableAddressing(packet.dropFirst(2))))
        }
        return .some(.request(NewEraRequest(parsing: data), .safe))
    }

    /// The addressing of a damaged packet's data, when it starts with digits or `*`.
    private static func readableAddressing(_ data: ArraySlice<UInt8>) -> NewEraRequest.Addressing? {
        guard let first = data.first else { return nil }
        if first == UInt8(ascii: "*") { return .system }
        guard let tens = PumpASCII.digit(first) else { return nil }
        let second = data.dropFirst().first
        if let second, let ones = PumpASCII.digit(second) { return .pump(UInt8(tens * 10 + ones)) }
        return .pump(UInt8(tens))
    }

    private mutating func discard(_ count: Int) {
        discardedByteCount += count
        buffer.removeFirst(count)
    }
}
