/// The GPS side of the fan-out comparison: report `n` as the NMEA 0183 pair a receiver sends once per
/// fix (GGA then RMC, the same position every time), dated 2026-12-07 12:00:00 UTC plus `n` tenths
/// of a second, so the TPV report gpsd makes of it carries `n` in its `time`. Sentence layout and
/// checksum: docs/PERFORMANCE.md, "Fan-out beside gpsd".
enum NMEAReport {
    /// The bytes of report `sequence` (CR LF after each sentence).
    static func sentences(_ sequence: Int) -> [UInt8] {
        let tenths = sequence % 36_000
        let time = "12" + pad(tenths / 600 % 60, 2) + pad(tenths / 10 % 60, 2) + ".\(tenths % 10)0"
        return sentence("GPGGA,\(time),4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
            + sentence("GPRMC,\(time),A,4807.038,N,01131.000,E,022.4,084.4,071226,003.1,W")
    }

    /// The report number in a TPV line of gpsd's (`"time":"2026-12-07T12:MM:SS.T00Z"`), modulo one
    /// hour of reports; nil for other lines.
    static func sequence(inTPV line: ArraySlice<UInt8>) -> Int? {
        guard line.firstRange(of: tpvClass) != nil, let start = line.firstRange(of: timeKey)?.upperBound else { return nil }
        // "2026-12-07T12:MM:SS.fff"
        let digits = Array(line[start...].prefix(23))
        guard digits.count == 23 else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
        guard let minute = number(14..<16), let second = number(17..<19), let tenth = number(20..<21) else { return nil }
        return minute * 600 + second * 10 + tenth
    }

    private static let tpvClass = Array(#""class":"TPV""#.utf8)
    private static let timeKey = Array(#""time":""#.utf8)

    /// `$BODY*CS` with CR LF: CS is the XOR of the body's bytes in two upper-case hex digits.
    private static func sentence(_ body: String) -> [UInt8] {
        let checksum = body.utf8.reduce(UInt8(0), ^)
        let hex = String(checksum, radix: 16, uppercase: true)
        return Array("$\(body)*\(hex.count == 1 ? "0" + hex : hex)\r\n".utf8)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
