/// The STATUS byte of a Nonin Data Format 8 record (docs/DEVICE-BASIS.md section 5).
public struct NoninFormat8Status: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit 7, set only on the first byte of a record: the decoder's sync.
    public static let sync = NoninFormat8Status(rawValue: 0x80)
    public static let sensorDisconnected = NoninFormat8Status(rawValue: 0x40)
    public static let outOfTrack = NoninFormat8Status(rawValue: 0x20)
    public static let lowPerfusion = NoninFormat8Status(rawValue: 0x10)
    public static let marginalPerfusion = NoninFormat8Status(rawValue: 0x08)
    public static let artefact = NoninFormat8Status(rawValue: 0x04)
}

/// The STATUS2 byte of a Nonin Data Format 8 record.
public struct NoninFormat8Status2: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let smartPoint = NoninFormat8Status2(rawValue: 0x20)
    /// The device is providing unusable data.
    public static let sensorAlarm = NoninFormat8Status2(rawValue: 0x08)
    public static let spotCheck = NoninFormat8Status2(rawValue: 0x04)
    /// The battery is so low that the device will turn off.
    public static let criticalBattery = NoninFormat8Status2(rawValue: 0x02)
    public static let lowBattery = NoninFormat8Status2(rawValue: 0x01)
}

/// One Data Format 8 record, sent once per second: `STATUS HR_LSB SPO2 STATUS2`, no checksum.
public struct NoninFormat8Record: Hashable, Sendable {
    public static let byteCount = 4

    /// Status bits, without the heart-rate bits it also carries.
    public var status: NoninFormat8Status
    /// Heart rate, /min; nil for the missing code 511.
    public var heartRate: Int?
    /// SpO2, %; nil for the missing code 127.
    public var spo2: Int?
    public var status2: NoninFormat8Status2

    public init(status: NoninFormat8Status, heartRate: Int?, spo2: Int?, status2: NoninFormat8Status2 = []) {
        self.status = NoninFormat8Status(rawValue: status.rawValue & 0x7C)
        self.heartRate = heartRate
        self.spo2 = spo2
        self.status2 = status2
    }

    /// The record in `bytes` (exactly four), or nil unless only the first byte has bit 7 set.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let values = Array(bytes)
        guard values[0] & 0x80 != 0, values.dropFirst().allSatisfy({ $0 & 0x80 == 0 }) else { return nil }
        let rate = Int(values[0] & 0x03) << 7 | Int(values[1] & 0x7F)
        let saturation = Int(values[2] & 0x7F)
        self.init(
            status: NoninFormat8Status(rawValue: values[0]),
            heartRate: rate == NoninFormat2Packet.missingRate ? nil : rate,
            spo2: saturation == NoninFormat2Packet.missingSaturation ? nil : saturation,
            status2: NoninFormat8Status2(rawValue: values[3] & 0x7F)
        )
    }

    /// The record's four bytes; out-of-range numbers are sent as the missing codes.
    public var bytes: [UInt8] {
        let rate = heartRate.flatMap { (0..<NoninFormat2Packet.missingRate).contains($0) ? $0 : nil }
            ?? NoninFormat2Packet.missingRate
        let saturation = spo2.flatMap { (0...100).contains($0) ? $0 : nil } ?? NoninFormat2Packet.missingSaturation
        return [
            0x80 | (status.rawValue & 0x7C) | UInt8(rate >> 7), UInt8(rate & 0x7F), UInt8(saturation),
            status2.rawValue & 0x7F,
        ]
    }
}

/// Finds Data Format 8 records: a byte with bit 7 set followed by three without.
public struct NoninFormat8Decoder: StreamDecoder {
    public typealias Output = NoninFormat8Record

    public private(set) var discardedByteCount = 0
    private var window: [UInt8] = []

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [NoninFormat8Record] {
        var records: [NoninFormat8Record] = []
        for byte in Array(bytes) {  // A concrete array: see StreamDecoder.
            window.append(byte)
            guard window.count == NoninFormat8Record.byteCount else { continue }
            if let record = NoninFormat8Record(bytes: window) {
                records.append(record)
                window.removeAll(keepingCapacity: true)
            } else {
                window.removeFirst()
                discardedByteCount += 1
            }
        }
        return records
    }
}
