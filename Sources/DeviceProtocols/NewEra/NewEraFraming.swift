/// The two ways NE-1000 messages are framed (docs/DEVICE-BASIS.md §1 "Facts").
///
/// - Basic: command `[address]<command>CR`; reply `STX <addr:2><status>[data] ETX`.
/// - Safe: both directions `STX LEN <data> CRC_hi CRC_lo ETX`, where LEN counts the bytes from LEN
///   through ETX (`data.count + 4`) and the CRC is CRC-16/XMODEM over `<data>` only.
public enum NewEraFraming: Hashable, Sendable {
    case basic
    case safe

    static let startOfText: UInt8 = 0x02
    static let endOfText: UInt8 = 0x03
    static let carriageReturn: UInt8 = 0x0D

    /// Bytes of a safe packet beyond its data: LEN, two CRC bytes and ETX (STX is not counted).
    static let safeOverhead = 4
    /// The largest data a safe packet can carry, since LEN is one byte.
    public static let maximumSafeDataLength = 255 - safeOverhead

    /// Frames command text (address and command, no terminator) for the pump.
    /// - Precondition: in safe framing `text` is at most `maximumSafeDataLength` bytes; every
    ///   `NewEraCommand` is far shorter.
    public func commandBytes(_ text: some StringProtocol) -> [UInt8] {
        switch self {
        case .basic: Array(text.utf8) + [Self.carriageReturn]
        case .safe: Self.safePacket(Array(text.utf8))
        }
    }

    /// Frames reply data (address, status and payload) for the host.
    /// - Precondition: as for `commandBytes`.
    public func replyBytes(_ data: some StringProtocol) -> [UInt8] {
        switch self {
        case .basic: [Self.startOfText] + Array(data.utf8) + [Self.endOfText]
        case .safe: Self.safePacket(Array(data.utf8))
        }
    }

    /// `STX LEN data CRC_hi CRC_lo ETX`.
    static func safePacket(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count <= maximumSafeDataLength, "safe-mode data longer than one LEN byte can count")
        let crc = CRC16.xmodem.checksum(data)
        return [startOfText, UInt8(data.count + safeOverhead)] + data
            + [UInt8(crc >> 8), UInt8(crc & 0xFF), endOfText]
    }

    /// Whether `packet` (STX through ETX) has a matching CRC and ETX; returns the data if so.
    static func safeData(ofPacket packet: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard packet.count >= 1 + safeOverhead, packet.last == endOfText else { return nil }
        let start = packet.startIndex
        let dataRange = (start + 2)..<(packet.endIndex - 3)
        let sent = UInt16(packet[packet.endIndex - 3]) << 8 | UInt16(packet[packet.endIndex - 2])
        let data = packet[dataRange]
        return CRC16.xmodem.checksum(data) == sent ? data : nil
    }
}
