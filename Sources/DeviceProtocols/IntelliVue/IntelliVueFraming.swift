/// The RS232 frame of Philips Data Export: `C0 · header · user data · FCS · C1`, with byte stuffing.
///
/// Facts: docs/DEVICE-BASIS.md section 6, "Physical layer and framing". The header is
/// protocol id `11`, message type `01` and the user-data length (u16, big-endian). The FCS is
/// CRC-16/X.25 over header and user data before escaping, sent low byte first. Any `C0`, `C1` or `7D`
/// between the delimiters, FCS included, is sent as `7D, byte ^ 20`.
public enum IntelliVueFraming {
    public static let beginningOfFrame: UInt8 = 0xC0
    public static let endOfFrame: UInt8 = 0xC1
    public static let controlEscape: UInt8 = 0x7D
    static let escapeMask: UInt8 = 0x20
    public static let protocolIdentifier: UInt8 = 0x11
    public static let messageType: UInt8 = 0x01
    /// Header plus FCS, the bytes a frame adds around its user data before escaping.
    static let overhead = 6

    /// The complete, escaped frame carrying `userData`.
    public static func frame(_ userData: [UInt8]) -> [UInt8] {
        let length = UInt16(clamping: userData.count)
        var body = [protocolIdentifier, messageType, UInt8(length >> 8), UInt8(length & 0xFF)] + userData
        let fcs = CRC16.x25.checksum(body)
        body += [UInt8(fcs & 0xFF), UInt8(fcs >> 8)]
        var frame = [beginningOfFrame]
        frame.reserveCapacity(body.count + 8)
        for byte in body {
            if byte == beginningOfFrame || byte == endOfFrame || byte == controlEscape {
                frame += [controlEscape, byte ^ escapeMask]
            } else {
                frame.append(byte)
            }
        }
        frame.append(endOfFrame)
        return frame
    }

    /// The frame abort sequence: a sender that gives up on a frame sends this instead of its end.
    public static let abortSequence: [UInt8] = [controlEscape, endOfFrame]
}
