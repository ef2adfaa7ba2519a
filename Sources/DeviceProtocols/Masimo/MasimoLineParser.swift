/// Why a Masimo line was rejected. The protocol has no checksum, so the parser is strict: a line
/// with any damaged field is dropped whole rather than half-believed.
public struct MasimoParseError: Error, Hashable, Sendable {
    public enum Code: Hashable, Sendable {
        /// A byte outside printable ASCII: line noise or the wrong baud rate.
        case nonPrintableByte
        /// A known key whose value is neither digits nor dashes.
        case malformedValue(key: String)
        /// A token that is neither `KEY=value` nor part of the leading date and time.
        case unexpectedToken
        /// The line carried neither SpO2 nor pulse rate, so it is not a reading.
        case noReading
        /// The line exceeded the decoder's bound before its end arrived.
        case tooLong
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }
}

/// Parses one Masimo ASCII 1 line (without its CR LF) by key, never by column, because the field set
/// differs between Rad-5, Rad-8 and Radical-7 and between firmware versions.
///
/// Format facts: docs/DEVICE-BASIS.md section 4. Unknown keys are ignored; a known key
/// whose value is dashes (`---%`, `--.--%`, `+--`) is a missing measurement, not an error.
///
/// It works on the bytes, not on `String`s: every byte is printable ASCII once the first check passed, so a byte is a
/// character, and a line is parsed every second on every chair with cold caches, where Unicode-aware string handling
/// cost nine times its warm time (issue 21 item 3, docs/PERFORMANCE.md).
public enum MasimoLineParser {
    /// Parses `line`; the bytes must not include the line terminator.
    public static func parse(_ line: some Collection<UInt8>) -> Result<MasimoRecord, MasimoParseError> {
        let bytes = Array(line)
        for byte in bytes where byte < 0x20 || byte > 0x7E {
            return .failure(MasimoParseError(.nonPrintableByte))
        }
        var record = MasimoRecord(exceptions: [])
        var bareTokens: [ArraySlice<UInt8>] = []
        var sawReading = false
        for (index, token) in bytes.split(separator: Byte.space).enumerated() {
            guard let equals = token.firstIndex(of: Byte.equals) else {
                // Only the leading date and time are bare tokens.
                guard index < 2 else { return .failure(MasimoParseError(.unexpectedToken)) }
                bareTokens.append(token)
                continue
            }
            let key = String(decoding: token[..<equals], as: UTF8.self)
            do {
                if try apply(key: key, value: token[(equals + 1)...], to: &record) { sawReading = true }
            } catch {
                return .failure(error)
            }
        }
        guard sawReading else { return .failure(MasimoParseError(.noReading)) }
        if bareTokens.count == 2 {
            record.timestamp = parseTimestamp(date: bareTokens[0], time: bareTokens[1])
        }
        return .success(record)
    }

    private enum Byte {
        static let space = UInt8(ascii: " ")
        static let equals = UInt8(ascii: "=")
        static let percent = UInt8(ascii: "%")
        static let plus = UInt8(ascii: "+")
        static let minus = UInt8(ascii: "-")
        static let point = UInt8(ascii: ".")
        static let zero = UInt8(ascii: "0")
    }

    /// Stores one field; returns whether it was SpO2 or pulse rate.
    private static func apply(key: String, value: ArraySlice<UInt8>, to record: inout MasimoRecord) throws(MasimoParseError)
        -> Bool
    {
        switch key {
        case "SPO2": record.spo2 = try measurement(value, key: key)
        case "BPM": record.pulseRate = try measurement(value, key: key)
        case "PI": record.perfusionIndex = try measurement(value, key: key)
        case "SPCO": record.spco = try measurement(value, key: key)
        case "SPMET": record.spmet = try measurement(value, key: key)
        case "DESAT": record.desaturationIndex = try measurement(value, key: key)
        case "PIDELTA": record.perfusionIndexDelta = try measurement(value, key: key)
        case "PVI": record.plethVariabilityIndex = try measurement(value, key: key)
        case "SN": record.serialNumber = String(decoding: value, as: UTF8.self)
        case "ALARM": record.alarms = MasimoAlarms(rawValue: try hexadecimal(value, key: key))
        case "EXC": record.exceptions = MasimoExceptions(rawValue: try hexadecimal(value, key: key))
        default: return false
        }
        return key == "SPO2" || key == "BPM"
    }

    /// A decimal measurement with optional sign and trailing `%`; nil when the device sent dashes.
    private static func measurement(_ raw: ArraySlice<UInt8>, key: String) throws(MasimoParseError) -> Double? {
        var text = raw
        if text.last == Byte.percent { text = text.dropLast() }
        var negative = false
        if let first = text.first, first == Byte.plus || first == Byte.minus, text.count > 1 {
            negative = first == Byte.minus
            text = text.dropFirst()
        }
        // The device fills a missing value with dashes in every digit position.
        if text.contains(Byte.minus), text.allSatisfy({ $0 == Byte.minus || $0 == Byte.point }) { return nil }
        guard let magnitude = unsignedDecimal(text) else { throw MasimoParseError(.malformedValue(key: key)) }
        return negative ? -magnitude : magnitude
    }

    /// Digits with at most one decimal point, at most nine digits so the value stays exact.
    private static func unsignedDecimal(_ text: ArraySlice<UInt8>) -> Double? {
        var integer = 0
        var fractionDigits = 0
        var digitCount = 0
        var sawPoint = false
        for byte in text {
            if byte == Byte.point {
                guard !sawPoint else { return nil }
                sawPoint = true
                continue
            }
            let digit = Int(byte) - Int(Byte.zero)
            guard (0...9).contains(digit), digitCount < 9 else { return nil }
            integer = integer * 10 + digit
            digitCount += 1
            if sawPoint { fractionDigits += 1 }
        }
        guard digitCount > 0 else { return nil }
        // One correctly rounded division, so "64.29" reads as the Double nearest 64.29.
        var divisor = 1.0
        for _ in 0..<fractionDigits { divisor *= 10 }
        return Double(integer) / divisor
    }

    private static func hexadecimal(_ text: ArraySlice<UInt8>, key: String) throws(MasimoParseError) -> UInt32 {
        guard !text.isEmpty, text.count <= 8, let value = UInt32(String(decoding: text, as: UTF8.self), radix: 16) else {
            throw MasimoParseError(.malformedValue(key: key))
        }
        return value
    }

    /// `MM/DD/YY` and `HH:MM:SS`; nil when either is not in that shape.
    private static func parseTimestamp(date: ArraySlice<UInt8>, time: ArraySlice<UInt8>) -> MasimoTimestamp? {
        func numbers(_ token: ArraySlice<UInt8>, separatedBy separator: UInt8) -> [Int?] {
            token.split(separator: separator, omittingEmptySubsequences: false).map { Int(String(decoding: $0, as: UTF8.self)) }
        }
        let dateParts = numbers(date, separatedBy: UInt8(ascii: "/"))
        let timeParts = numbers(time, separatedBy: UInt8(ascii: ":"))
        guard dateParts.count == 3, timeParts.count == 3,
            let month = dateParts[0], let day = dateParts[1], let year = dateParts[2],
            let hour = timeParts[0], let minute = timeParts[1], let second = timeParts[2]
        else { return nil }
        return MasimoTimestamp(month: month, day: day, year: year, hour: hour, minute: minute, second: second)
    }
}
