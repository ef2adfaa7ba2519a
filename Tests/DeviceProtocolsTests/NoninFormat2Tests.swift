import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing
import TestSupport

/// The 30 frames a real Nonin device sent, as captured in mattjlewis/NoninPulseOx (quoted in
/// docs/DEVICE-BASIS.md section 5): the tail of one packet, one whole packet (frames
/// 4–28, starting at the SYNC frame `01 81 43 00 C5`), and the next packet's SYNC frame.
private let capturedFrames: [[UInt8]] = [
    "01804900CA", "0180464A11", "01804400C5", "01804300C4", "01814300C5", "0180434A0E", "0180436024",
    "0180439458", "01804300C4", "01804100C2", "01803E17D6", "01803C04C1", "018039601A", "0180366017",
    "0180356016", "01803400B5", "01803400B5", "01803400B5", "0180354A00", "0180366017", "0180376018",
    "01803A00BB", "01804000C1", "01804A00CB", "0180574A22", "01806900EA", "01807C4A47", "0180900011",
    "0180A10022", "0181AF0031",
].map(hexBytes)

private func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).compactMap {
        UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
    }
}

@Suite("Nonin Data Format 2")
struct NoninFormat2Tests {
    @Test("every captured frame has a valid start, status bit 7 and checksum")
    func capturedChecksums() {
        #expect(capturedFrames.count == 30)
        for bytes in capturedFrames {
            #expect(NoninFormat2Frame(bytes: bytes) != nil, "frame \(bytes)")
        }
    }

    @Test("the captured packet decodes to HR 74 and SpO2 96")
    func capturedPacket() throws {
        var decoder = NoninFormat2Decoder()
        let events = decoder.decode(capturedFrames.joined())
        #expect(events.count == 1)
        guard case .packet(let packet) = try #require(events.first) else {
            Issue.record("expected a packet, got \(events)")
            return
        }
        let values = packet.values
        #expect(values.heartRate == 74)
        #expect(values.spo2 == 96)
        #expect(values.firmwareRevision == 148)
        #expect(values.spo2Display == 96)
        #expect(values.spo2Fast == 96)
        #expect(values.spo2BeatToBeat == 96)
        #expect(values.extendedHeartRate == 74)
        #expect(values.heartRateDisplay == 74)
        // The four frames before the first SYNC belong to an earlier packet and are skipped.
        #expect(decoder.discardedByteCount == 4 * NoninFormat2Frame.byteCount)

        var monitor = NoninMonitor(format: .format2)
        let report = try #require(monitor.receive(capturedFrames.joined(), at: .seconds(2)).first)
        #expect(report.vital(.spo2)?.trustworthyValue == 96)
        #expect(report.vital(.pulseRate)?.trustworthyValue == 74)
        #expect(report.conditions.isEmpty)
    }

    @Test("the constructed simulator frames of the reference encode byte for byte")
    func constructedFrames() {
        let values = NoninFormat2Values(heartRate: 72, spo2: 97, firmwareRevision: 0x30)
        let statuses = [NoninFrameStatus(rawValue: 0x80).with(perfusion: .high)]
        let packet = NoninFormat2Packet(values: values, pleth: (0x40...0x58).map { $0 }, statuses: statuses)
        let frames = packet.frames.map(\.bytes)
        #expect(frames[0] == [0x01, 0x83, 0x40, 0x00, 0xC4])
        #expect(frames[1] == [0x01, 0x82, 0x41, 0x48, 0x0C])
        #expect(frames[2] == [0x01, 0x82, 0x42, 0x61, 0x26])
        #expect(frames[3] == [0x01, 0x82, 0x43, 0x30, 0xF6])
        #expect(frames[24] == [0x01, 0x82, 0x58, 0x00, 0xDB])
    }

    @Test("a packet round-trips through bytes, missing codes included")
    func roundTrip() throws {
        var values = NoninFormat2Values(heartRate: 300, spo2: nil, timer: 12_345, lowBattery: true)
        values.spo2Fast = 88
        values.smartPoint = true
        let statuses = (0..<25).map { NoninFrameStatus([.artefact]).with(perfusion: $0 < 12 ? .low : .none) }
        let packet = NoninFormat2Packet(values: values, pleth: Array(0..<25), statuses: statuses)
        var decoder = NoninFormat2Decoder()
        let sync = NoninFormat2Packet(values: values, pleth: [], statuses: []).frames[0].bytes
        let events = decoder.decode(packet.bytes + sync)
        #expect(events == [.packet(packet)])
        #expect(packet.values == values)
        let report = packet.report(at: .zero)
        #expect(report.conditions == [.artefact, .lowPerfusion, .lowBattery])
        #expect(report.vital(.spo2)?.value == nil)
        #expect(report.vital(.spo2)?.flags.contains(.invalid) == true)
        #expect(report.vital(.pulseRate)?.value == 300)
        #expect(report.vital(.pulseRate)?.flags.contains(.artefact) == true)
    }

    @Test("sensor disconnect makes both readings invalid and sensor-off")
    func sensorDisconnect() {
        let values = NoninFormat2Values(heartRate: nil, spo2: nil)
        let packet = NoninFormat2Packet(values: values, pleth: [0], statuses: [[.sensorDisconnected, .outOfTrack]])
        let report = packet.report(at: .zero)
        #expect(report.conditions == [.sensorOff, .searching])
        for vital in report.vitals {
            #expect(vital.flags.isSuperset(of: [.invalid, .sensorOff, .searching]))
        }
    }

    @Test("a packet that lost a frame is rejected and the next one decodes")
    func lostFrame() {
        let packet = NoninFormat2Packet(values: NoninFormat2Values(heartRate: 70, spo2: 98), pleth: [9], statuses: [])
        var damaged = packet.bytes
        damaged.removeSubrange(50..<55)
        var decoder = NoninFormat2Decoder()
        let events = decoder.decode(damaged + packet.bytes + packet.frames[0].bytes)
        #expect(events == [.rejectedPacket(frameCount: 24), .packet(packet)])
    }

    @Test("garbage between packets is skipped and every later packet decodes")
    func resynchronises() {
        var random = Xoshiro(seed: (5, 6, 7, 8))
        let packet = NoninFormat2Packet(values: NoninFormat2Values(heartRate: 65, spo2: 99), pleth: [3], statuses: [])
        var stream: [UInt8] = []
        for _ in 0..<5 {
            stream += (0..<Int.random(in: 1...60, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            stream += packet.bytes + packet.bytes
        }
        stream += packet.frames[0].bytes
        var monitor = NoninMonitor(format: .format2)
        let reports = monitor.receive(stream, at: .zero)
        // Each garbage burst may spoil the packet that follows it, but never the one after.
        #expect(reports.count >= 5)
        #expect(reports.allSatisfy { $0.vital(.pulseRate)?.trustworthyValue == 65 })
    }

    @Test("any split of the capture decodes the same packet")
    func anySplit() {
        let stream = Array(capturedFrames.joined())
        for cut in stride(from: 0, through: stream.count, by: 3) {
            var decoder = NoninFormat2Decoder()
            let events = decoder.decode(stream[..<cut]) + decoder.decode(stream[cut...])
            #expect(events.count == 1)
        }
    }

    @Test("noise around the capture decodes the same whole, byte by byte and in random pieces")
    func dripFed() {
        var random = Xoshiro(seed: (0x4E32, 0x44, 0x52, 0x50))
        let valid = Array(capturedFrames.joined())
        for _ in 0..<500 {
            let noise = (0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let each = DripFeed.decodeEachWay(noise + valid + noise, with: NoninFormat2Decoder.init, using: &random)
            #expect(each.byteByByte == each.whole && each.inPieces == each.whole)
        }
    }

    @Test("100,000 random and truncated inputs never crash the decoder")
    func fuzz() async {
        var random = Xoshiro(seed: (0x4E4F, 0x4E49, 0x4E32, 2))
        let valid = Array(capturedFrames.joined())
        var decoder = NoninFormat2Decoder()
        var fed = 0
        var packets = 0
        for iteration in 0..<100_000 {
            // Give the shared test thread pool back now and then: the drivers and simulators on ptys
            // in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            var input: [UInt8]
            if iteration.isMultiple(of: 2) {
                input = (0..<Int.random(in: 0...30, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                let start = Int.random(in: 0...valid.count, using: &random)
                input = Array(valid[start..<min(valid.count, start + Int.random(in: 0...140, using: &random))])
                if !input.isEmpty, Bool.random(using: &random) {
                    input[Int.random(in: 0..<input.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            }
            fed += input.count
            for case .packet(let packet) in decoder.decode(input) {
                packets += 1
                #expect(packet.frames.count == NoninFormat2Packet.frameCount)
            }
        }
        #expect(decoder.discardedByteCount <= fed)
        #expect(packets > 0)
    }
}
