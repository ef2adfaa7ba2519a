// Fuzz target: Nonin Data Format 2 (NoninFormat2Decoder, NoninMonitor), 5-byte frames hunted in an
// unescaped stream and assembled into 25-frame packets, and the readings handed to the core.
import DeviceProtocols
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func noninFormat2Fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = NoninFormat2Decoder()
    let events = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded \(whole.discardedByteCount) of \(input.count) bytes")

    var split = NoninFormat2Decoder()
    var splitEvents: [NoninFormat2Event] = []
    for piece in pieces(of: input) { splitEvents += split.decode(piece) }
    require(splitEvents == events, "split changed the packets")
    require(split.discardedByteCount == whole.discardedByteCount, "split changed the discarded count")

    for event in events {
        switch event {
        case .packet(let packet):
            require(packet.frames.count == NoninFormat2Packet.frameCount, "packet of \(packet.frames.count) frames")
            // Round trip: the packet's bytes, confirmed by the next SYNC frame, decode to the same packet.
            let nextSync = NoninFormat2Frame(status: .sync, pleth: 0, data: 0).bytes
            var again = NoninFormat2Decoder()
            let decoded = again.decode(packet.bytes + nextSync)
            require(decoded == [.packet(packet)], "re-encoded packet decodes to \(decoded)")
            let values = packet.values
            if let rate = values.heartRate { require((0..<NoninFormat2Packet.missingRate).contains(rate), "rate \(rate)") }
            if let spo2 = values.spo2 { require((0..<NoninFormat2Packet.missingSaturation).contains(spo2), "SpO2 \(spo2)") }
            require((0...0x3FFF).contains(values.timer), "timer \(values.timer)")
        case .rejectedPacket(let frameCount):
            // A packet that had exactly 25 frames is never rejected; one frame too many stops the count.
            require((1...NoninFormat2Packet.frameCount + 1).contains(frameCount), "rejected packet of \(frameCount) frames")
            require(frameCount != NoninFormat2Packet.frameCount, "a 25-frame packet was rejected")
        }
    }

    var monitor = NoninMonitor(format: .format2)
    var probe = ChairProbe.infusing
    for piece in pieces(of: input) {
        let time = probe.now + .milliseconds(10)
        for report in monitor.receive(piece, at: time) {
            for vital in report.vitals {
                require(vital.time == time, "reading not stamped at receipt")
                probe.send(.vital(vital), receivedAt: time)
            }
            probe.tick(at: time)
        }
    }
    return 0
}
