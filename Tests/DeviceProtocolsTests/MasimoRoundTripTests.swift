import DeviceProtocols
import PropertyBased
import Testing

@Suite("Masimo generated round trips")
struct MasimoRoundTripTests {
    @Test("1,000 generated records per layout survive encoding and parsing unchanged", arguments: MasimoLineLayout.allCases)
    func generatedRecords(layout: MasimoLineLayout) {
        var random = Xoshiro(seed: (0x5254, UInt64(layout.hashValue & 0xFFFF), 1, 2))
        func maybe(_ value: @autoclosure () -> Double) -> Double? {
            Int.random(in: 0..<5, using: &random) == 0 ? nil : value()
        }
        for _ in 0..<1_000 {
            var record = MasimoRecord(
                spo2: maybe(Double(Int.random(in: 0...100, using: &random))),
                pulseRate: maybe(Double(Int.random(in: 0...300, using: &random))),
                perfusionIndex: maybe(Double(Int.random(in: 0...9_999, using: &random)) / 100),
                exceptions: MasimoExceptions(rawValue: UInt32.random(in: 0...(layout == .rad5 ? 0xFFF : 0xFF_FFFF), using: &random)))
            record.alarms = MasimoAlarms(rawValue: UInt32.random(in: 0...(layout == .rad5 ? 0xFF : 0xFFFF), using: &random))
            if layout != .rad5 {
                record.serialNumber = String(Int.random(in: 1_000_000_000...9_999_999_999, using: &random))
                record.spco = maybe(Double(Int.random(in: 0...999, using: &random)) / 10)
                record.spmet = maybe(Double(Int.random(in: 0...999, using: &random)) / 10)
                record.desaturationIndex = maybe(Double(Int.random(in: 0...99, using: &random)))
                record.perfusionIndexDelta = maybe(Double(Int.random(in: -99...99, using: &random)))
            }
            if layout == .radical7 { record.plethVariabilityIndex = maybe(Double(Int.random(in: 0...100, using: &random))) }
            let timestamp = MasimoTimestamp(
                month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random),
                year: Int.random(in: 0...99, using: &random), hour: Int.random(in: 0...23, using: &random),
                minute: Int.random(in: 0...59, using: &random), second: Int.random(in: 0...59, using: &random))
            var expected = record
            expected.timestamp = timestamp
            let line = MasimoLineEncoder(layout: layout).encode(record, timestamp: timestamp)
            #expect(MasimoLineParser.parse(line.dropLast(2)) == .success(expected))
        }
    }
}
