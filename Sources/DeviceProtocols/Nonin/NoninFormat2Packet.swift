/// The numbers one Data Format 2 packet carries, spread one byte per frame.
///
/// Frame index → content: docs/DEVICE-BASIS.md section 5 (verified against a capture).
/// A nil rate or saturation is the device's "missing" code (511 for rates, 127 for SpO2).
public struct NoninFormat2Values: Hashable, Sendable {
    /// Heart rate, 4-beat average, /min.
    public var heartRate: Int?
    /// SpO2, 4-beat average, %.
    public var spo2: Int?
    public var firmwareRevision: UInt8
    /// Seconds counter, 14 bits.
    public var timer: Int
    /// STAT2 bit 0.
    public var lowBattery: Bool
    /// STAT2 bit 5: the SmartPoint algorithm qualified this reading.
    public var smartPoint: Bool
    public var spo2Display: Int?
    public var spo2Fast: Int?
    public var spo2BeatToBeat: Int?
    /// Heart rate, 8-beat extended average.
    public var extendedHeartRate: Int?
    public var extendedSpO2: Int?
    public var extendedSpO2Display: Int?
    public var heartRateDisplay: Int?
    public var extendedHeartRateDisplay: Int?

    /// Values where every rate and saturation is `heartRate`/`spo2`, as a steady device shows them.
    public init(heartRate: Int?, spo2: Int?, firmwareRevision: UInt8 = 0, timer: Int = 0, lowBattery: Bool = false) {
        self.heartRate = heartRate
        self.spo2 = spo2
        self.firmwareRevision = firmwareRevision
        self.timer = timer
        self.lowBattery = lowBattery
        self.smartPoint = false
        spo2Display = spo2
        spo2Fast = spo2
        spo2BeatToBeat = spo2
        extendedHeartRate = heartRate
        extendedSpO2 = spo2
        extendedSpO2Display = spo2
        heartRateDisplay = heartRate
        extendedHeartRateDisplay = heartRate
    }
}

/// A complete Data Format 2 packet: 25 frames, the first with SYNC set.
public struct NoninFormat2Packet: Hashable, Sendable {
    /// Frames per packet.
    public static let frameCount = 25
    /// The rate code meaning "no reading".
    public static let missingRate = 511
    /// The saturation code meaning "no reading".
    public static let missingSaturation = 127

    public private(set) var frames: [NoninFormat2Frame]

    /// The packet made of `frames`, or nil unless there are exactly 25 and only the first has SYNC.
    public init?(frames: [NoninFormat2Frame]) {
        guard frames.count == Self.frameCount, frames[0].status.contains(.sync),
            !frames.dropFirst().contains(where: { $0.status.contains(.sync) })
        else { return nil }
        self.frames = frames
    }

    /// Builds a packet carrying `values`, with `pleth` samples (padded with the last sample to 25) and
    /// per-frame `statuses` (SYNC is set on frame 0 and cleared elsewhere whatever is given).
    public init(values: NoninFormat2Values, pleth: [UInt8], statuses: [NoninFrameStatus]) {
        let data = Self.dataBytes(for: values)
        frames = (0..<Self.frameCount).map { index in
            var status = index < statuses.count ? statuses[index] : (statuses.last ?? [])
            if index == 0 { status.insert(.sync) } else { status.remove(.sync) }
            let sample = index < pleth.count ? pleth[index] : (pleth.last ?? 0)
            return NoninFormat2Frame(status: status, pleth: sample, data: data[index])
        }
    }

    /// The packet's bytes on the wire (125).
    public var bytes: [UInt8] { frames.flatMap(\.bytes) }

    /// The numbers carried by the frames' data bytes.
    public var values: NoninFormat2Values {
        let data = frames.map(\.data)
        var values = NoninFormat2Values(heartRate: Self.rate(data[0], data[1]), spo2: Self.saturation(data[2]))
        values.firmwareRevision = data[3]
        values.timer = Int(data[5] & 0x7F) << 7 | Int(data[6] & 0x7F)
        values.smartPoint = data[7] & 0x20 != 0
        values.lowBattery = data[7] & 0x01 != 0
        values.spo2Display = Self.saturation(data[8])
        values.spo2Fast = Self.saturation(data[9])
        values.spo2BeatToBeat = Self.saturation(data[10])
        values.extendedHeartRate = Self.rate(data[13], data[14])
        values.extendedSpO2 = Self.saturation(data[15])
        values.extendedSpO2Display = Self.saturation(data[16])
        values.heartRateDisplay = Self.rate(data[19], data[20])
        values.extendedHeartRateDisplay = Self.rate(data[21], data[22])
        return values
    }

    /// Every status bit seen in any frame of the packet, perfusion bits excluded.
    public var combinedStatus: NoninFrameStatus {
        frames.reduce(NoninFrameStatus()) { $0.union($1.status) }.with(perfusion: .none).subtracting(.sync)
    }

    /// The worst perfusion indicated by any frame (low before medium before high).
    public var worstPerfusion: NoninPerfusion {
        let seen = Set(frames.map(\.status.perfusion))
        for candidate in [NoninPerfusion.low, .medium, .high] where seen.contains(candidate) { return candidate }
        return .none
    }

    private static func rate(_ mostSignificant: UInt8, _ leastSignificant: UInt8) -> Int? {
        let value = Int(mostSignificant & 0x03) << 7 | Int(leastSignificant & 0x7F)
        return value == missingRate ? nil : value
    }

    private static func saturation(_ byte: UInt8) -> Int? {
        let value = Int(byte & 0x7F)
        return value == missingSaturation ? nil : value
    }

    private static func dataBytes(for values: NoninFormat2Values) -> [UInt8] {
        var data = [UInt8](repeating: 0, count: frameCount)
        (data[0], data[1]) = rateBytes(values.heartRate)
        data[2] = saturationByte(values.spo2)
        data[3] = values.firmwareRevision
        let timer = max(0, min(values.timer, 0x3FFF))
        data[5] = UInt8(timer >> 7)
        data[6] = UInt8(timer & 0x7F)
        data[7] = (values.smartPoint ? 0x20 : 0) | (values.lowBattery ? 0x01 : 0)
        data[8] = saturationByte(values.spo2Display)
        data[9] = saturationByte(values.spo2Fast)
        data[10] = saturationByte(values.spo2BeatToBeat)
        (data[13], data[14]) = rateBytes(values.extendedHeartRate)
        data[15] = saturationByte(values.extendedSpO2)
        data[16] = saturationByte(values.extendedSpO2Display)
        (data[19], data[20]) = rateBytes(values.heartRateDisplay)
        (data[21], data[22]) = rateBytes(values.extendedHeartRateDisplay)
        return data
    }

    /// A 9-bit rate split into its two 7-bit wire bytes; out-of-range rates are sent as missing.
    private static func rateBytes(_ rate: Int?) -> (UInt8, UInt8) {
        let value = rate.flatMap { (0..<missingRate).contains($0) ? $0 : nil } ?? missingRate
        return (UInt8(value >> 7), UInt8(value & 0x7F))
    }

    private static func saturationByte(_ saturation: Int?) -> UInt8 {
        UInt8(saturation.flatMap { (0...100).contains($0) ? $0 : nil } ?? missingSaturation)
    }
}
