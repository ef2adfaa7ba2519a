// Fuzz target: Nonin Data Format 8 (NoninFormat8Decoder, NoninMonitor), 4-byte records found by their
// high bit, and the readings handed to the core.
import DeviceProtocols
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func noninFormat8Fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = NoninFormat8Decoder()
    let records = whole.decode(input)
    require(whole.discardedByteCount + records.count * NoninFormat8Record.byteCount <= input.count,
        "accounted for more bytes than were fed")

    var split = NoninFormat8Decoder()
    var splitRecords: [NoninFormat8Record] = []
    for piece in pieces(of: input) { splitRecords += split.decode(piece) }
    require(splitRecords == records, "split changed the records")

    for record in records {
        if let rate = record.heartRate { require((0..<NoninFormat2Packet.missingRate).contains(rate), "rate \(rate)") }
        if let spo2 = record.spo2 { require((0..<NoninFormat2Packet.missingSaturation).contains(spo2), "SpO2 \(spo2)") }
        // Round trip for what the encoder can express (SpO2 above 100 is sent as missing).
        let again = NoninFormat8Record(bytes: record.bytes)
        require(again != nil, "re-encoded record rejected: \(record)")
        if let again, (record.spo2 ?? 0) <= 100 {
            require(again == record, "re-encoded \(record) reads as \(again)")
        }
    }

    var monitor = NoninMonitor(format: .format8)
    var probe = ChairProbe.infusing
    // Pieces 300 ms apart: a record is believed only when its neighbours are at least 500 ms away.
    var time = probe.now
    for piece in pieces(of: input) {
        time = time + .milliseconds(300)
        for report in monitor.receive(piece, at: time) {
            for vital in report.vitals {
                // A record is reported when the next one shows it came alone, dated when it arrived.
                require(vital.time < time, "record reported before the next one arrived")
                probe.send(.vital(vital), receivedAt: time)
            }
            probe.tick(at: time)
        }
    }
    return 0
}
