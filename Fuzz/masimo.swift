// Fuzz target: the host side of a Masimo serial link (MasimoLineDecoder, MasimoLineParser,
// MasimoMonitor), what the daemon reads from the monitor, and the readings handed to the core.
import DeviceProtocols
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func masimoFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = MasimoLineDecoder()
    let events = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")

    var split = MasimoLineDecoder()
    var splitEvents: [MasimoLineEvent] = []
    for piece in pieces(of: input) { splitEvents += split.decode(piece) }
    require(splitEvents == events, "split changed the lines: \(splitEvents) vs \(events)")
    require(split.discardedByteCount == whole.discardedByteCount, "split changed the discarded count")

    for case .record(let record) in events {
        // Every record written out again in each layout parses, keeping which readings were present
        // and the alarm and exception bits exactly.
        for layout in MasimoLineLayout.allCases {
            let stamp = MasimoTimestamp(month: 1, day: 2, year: 26, hour: 3, minute: 4, second: 5)
            let line = MasimoLineEncoder(layout: layout).encode(record, timestamp: stamp)
            require(line.suffix(2) == [0x0D, 0x0A], "encoded line lacks CR LF")
            switch MasimoLineParser.parse(line.dropLast(2)) {
            case .failure(let error):
                fatalError("fuzz invariant broken: re-encoded \(record) as \(layout) is rejected: \(error)")
            case .success(let again):
                require((again.spo2 == nil) == (record.spo2 == nil), "SpO2 presence changed (\(layout))")
                require((again.pulseRate == nil) == (record.pulseRate == nil), "pulse presence changed (\(layout))")
                require((again.perfusionIndex == nil) == (record.perfusionIndex == nil), "PI presence changed (\(layout))")
                require(again.alarms == record.alarms && again.exceptions == record.exceptions, "bits changed (\(layout))")
                require(again.timestamp == stamp, "time stamp changed (\(layout))")
            }
        }
    }

    // The monitor as the driver runs it, and its reports handed to an infusing chair.
    var monitor = MasimoMonitor()
    var probe = ChairProbe.infusing
    for piece in pieces(of: input) {
        let time = probe.now + .milliseconds(10)
        for report in monitor.receive(piece, at: time) {
            require(report.time == time, "report not stamped at receipt")
            for vital in report.vitals {
                require(vital.time == time, "reading not stamped at receipt")
                probe.send(.vital(vital), receivedAt: time)
            }
            probe.tick(at: time)
        }
    }
    return 0
}
