import DeviceProtocols

/// The monitor side of the fan-out comparison: report `n` as one Masimo Rad-5 ASCII 1 line (the
/// layout `BenchDevices` plays; docs/DEVICE-BASIS.md §4) with SpO2 97 %, PI 3.1 % and a pulse rate of
/// 60 + n mod 40 /min, so the `vital` event of its pulse rate names the report among the last 40
/// (4 s at 10 Hz, far beyond any latency measured). The values stay inside every default alarm limit.
enum MasimoReport {
    private static let encoder = MasimoLineEncoder(layout: .rad5)

    /// The bytes of report `sequence` (CR LF at the end).
    static func line(_ sequence: Int) -> [UInt8] {
        let record = MasimoRecord(spo2: 97, pulseRate: Double(pulse(sequence)), perfusionIndex: 3.1)
        let second = sequence / 10
        let stamp = MasimoTimestamp(month: 12, day: 7, year: 26, hour: 12, minute: second / 60 % 60, second: second % 60)
        return encoder.encode(record, timestamp: stamp)
    }

    /// The pulse rate report `sequence` carries.
    static func pulse(_ sequence: Int) -> Int { 60 + sequence % 40 }

    /// The pulse rate in a `vital` event line of infusiond's about the pulse rate (the key of the
    /// report it came from, see `pulse(_:)`); nil for other lines.
    static func pulse(inVitalLine line: ArraySlice<UInt8>) -> Int? {
        guard line.firstRange(of: vitalEvent) != nil, line.firstRange(of: pulseParameter) != nil,
            let start = line.firstRange(of: valueKey)?.upperBound
        else { return nil }
        let digits = line[start...].prefix { $0 >= 0x30 && $0 <= 0x39 }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    private static let vitalEvent = Array(#""event":"vital""#.utf8)
    private static let pulseParameter = Array(#""parameter":"pulseRate""#.utf8)
    private static let valueKey = Array(#""value":"#.utf8)
}
