import DeviceProtocols
import PropertyBased
import Testing

@Suite("Nonin generated round trips")
struct NoninRoundTripTests {
    @Test("1,000 generated Data Format 2 packets decode to what was encoded, in any split")
    func format2Packets() {
        var random = Xoshiro(seed: (0x4E32, 3, 4, 5))
        func rate() -> Int? { Bool.random(using: &random) ? Int.random(in: 0...510, using: &random) : nil }
        func saturation() -> Int? { Bool.random(using: &random) ? Int.random(in: 0...100, using: &random) : nil }
        var decoder = NoninFormat2Decoder()
        var previous: NoninFormat2Packet?
        for _ in 0..<1_000 {
            var values = NoninFormat2Values(
                heartRate: rate(), spo2: saturation(), firmwareRevision: UInt8.random(in: 0...255, using: &random),
                timer: Int.random(in: 0...0x3FFF, using: &random), lowBattery: Bool.random(using: &random))
            values.smartPoint = Bool.random(using: &random)
            values.spo2Fast = saturation()
            values.extendedHeartRate = rate()
            values.heartRateDisplay = rate()
            let statuses = (0..<25).map { _ in NoninFrameStatus(rawValue: UInt8.random(in: 0...255, using: &random)) }
            let pleth = (0..<25).map { _ in UInt8.random(in: 0...255, using: &random) }
            let packet = NoninFormat2Packet(values: values, pleth: pleth, statuses: statuses)
            #expect(packet.values == values)
            let bytes = packet.bytes
            let cut = Int.random(in: 0...bytes.count, using: &random)
            let events = decoder.decode(bytes[..<cut]) + decoder.decode(bytes[cut...])
            // Each packet is confirmed by the next one's SYNC frame.
            if let previous { #expect(events == [.packet(previous)]) }
            previous = packet
        }
        #expect(decoder.discardedByteCount == 0)
    }

    @Test("1,000 generated Data Format 8 records decode to what was encoded")
    func format8Records() {
        var random = Xoshiro(seed: (0x4E38, 6, 7, 8))
        var decoder = NoninFormat8Decoder()
        for _ in 0..<1_000 {
            let record = NoninFormat8Record(
                status: NoninFormat8Status(rawValue: UInt8.random(in: 0...255, using: &random)),
                heartRate: Bool.random(using: &random) ? Int.random(in: 0...510, using: &random) : nil,
                spo2: Bool.random(using: &random) ? Int.random(in: 0...100, using: &random) : nil,
                status2: NoninFormat8Status2(rawValue: UInt8.random(in: 0...0x7F, using: &random)))
            #expect(decoder.decode(record.bytes) == [record])
        }
    }
}
