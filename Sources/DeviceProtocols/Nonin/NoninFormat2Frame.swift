/// The STATUS byte of a Nonin Data Format 2 frame.
///
/// Bits: docs/DEVICE-BASIS.md section 5 (Pufferfish and mattjlewis agree). Bit 7 is
/// always set, which is half of how the decoder finds frames in an unescaped stream.
public struct NoninFrameStatus: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Always set on a real frame.
    public static let alwaysSet = NoninFrameStatus(rawValue: 0x80)
    /// SNSD: sensor disconnected.
    public static let sensorDisconnected = NoninFrameStatus(rawValue: 0x40)
    /// ARTF: artefact detected in this pulse.
    public static let artefact = NoninFrameStatus(rawValue: 0x20)
    /// OOT: out of track, no consecutive good pulses.
    public static let outOfTrack = NoninFrameStatus(rawValue: 0x10)
    /// SNSA: sensor alarm, the device is providing unusable data.
    public static let sensorAlarm = NoninFrameStatus(rawValue: 0x08)
    /// SYNC: the first frame of a 25-frame packet.
    public static let sync = NoninFrameStatus(rawValue: 0x01)

    /// The perfusion indication in bits 2–1, present only while a pulse is being shown.
    public var perfusion: NoninPerfusion {
        NoninPerfusion(rawValue: (rawValue >> 1) & 0x03) ?? .none
    }

    /// A copy with the perfusion bits set to `perfusion`.
    public func with(perfusion: NoninPerfusion) -> NoninFrameStatus {
        NoninFrameStatus(rawValue: (rawValue & ~0x06) | (perfusion.rawValue << 1))
    }
}

/// The perfusion/signal quality a Nonin frame indicates (colour of the device's pulse LED).
public enum NoninPerfusion: UInt8, Hashable, Sendable {
    case none = 0
    /// Green: high quality.
    case high = 1
    /// Red: low perfusion or quality.
    case low = 2
    /// Yellow: medium.
    case medium = 3
}

/// One 5-byte Data Format 2 frame: `01 STATUS PLETH DATA CHK`, CHK being the byte sum of the first four.
public struct NoninFormat2Frame: Hashable, Sendable {
    /// The first byte of every frame.
    public static let startByte: UInt8 = 0x01
    /// Bytes per frame.
    public static let byteCount = 5

    public var status: NoninFrameStatus
    /// One plethysmogram sample.
    public var pleth: UInt8
    /// The packet byte this frame carries; its meaning depends on the frame's index in the packet.
    public var data: UInt8

    public init(status: NoninFrameStatus, pleth: UInt8, data: UInt8) {
        self.status = status.union(.alwaysSet)
        self.pleth = pleth
        self.data = data
    }

    /// The modulo-256 sum that closes a frame.
    public static func checksum(status: UInt8, pleth: UInt8, data: UInt8) -> UInt8 {
        startByte &+ status &+ pleth &+ data
    }

    /// The frame's five bytes.
    public var bytes: [UInt8] {
        [Self.startByte, status.rawValue, pleth, data, Self.checksum(status: status.rawValue, pleth: pleth, data: data)]
    }

    /// The frame in `bytes` (exactly five), or nil when its start, bit 7 or checksum is wrong.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let values = Array(bytes)
        guard values[0] == Self.startByte, values[1] & 0x80 != 0,
            Self.checksum(status: values[1], pleth: values[2], data: values[3]) == values[4]
        else { return nil }
        self.init(status: NoninFrameStatus(rawValue: values[1]), pleth: values[2], data: values[3])
    }
}
