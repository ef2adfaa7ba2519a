#if canImport(Glibc)
internal import Glibc
#endif

/// Times as the protocol writes them: ISO 8601 UTC with milliseconds (`2026-12-07T01:02:03.456Z`), the wall-clock
/// time of the moment described (docs/PROTOCOL.md "Times").
///
/// The daemon decides by a monotonic clock (`CLOCK_MONOTONIC`, which never steps); only on the way out is an
/// instant placed on the wall clock, by its distance from now (the daemon's `WallClockAnchor`). Ordering stays by
/// `seq`, never by these texts, which move if the wall clock is stepped.
public enum WireTime {
    /// `epochMilliseconds` (since 1970-01-01T00:00:00Z) as ISO 8601 UTC with milliseconds.
    public static func text(epochMilliseconds: Int64) -> String {
        let seconds = epochMilliseconds.floorDivided(by: 1000)
        let milliseconds = Int32(epochMilliseconds - seconds * 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = parts.tm_year + 1900
        guard (0...9999).contains(year) else { return paddedText(parts, milliseconds: milliseconds) }
        // Every event carries a time, so it is written straight into the string's storage (issue 21).
        return String(unsafeUninitializedCapacity: 24) { text in
            func digits(_ value: Int32, width: Int, at offset: Int) {
                var rest = value
                for position in (offset..<(offset + width)).reversed() {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            digits(year, width: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            digits(parts.tm_mon + 1, width: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            digits(parts.tm_mday, width: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            digits(parts.tm_hour, width: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            digits(parts.tm_min, width: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            digits(parts.tm_sec, width: 2, at: 17)
            text[19] = UInt8(ascii: ".")
            digits(milliseconds, width: 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The same for a year outside 0...9999: each field as its digits, padded to its width.
    private static func paddedText(_ parts: tm, milliseconds: Int32) -> String {
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(milliseconds, 3))Z"
    }

    /// Milliseconds since the epoch of an ISO 8601 UTC text as this protocol writes it (`Z`, with or without
    /// fractional seconds); nil for anything else.
    public static func epochMilliseconds(of text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var milliseconds: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            // Milliseconds are the first three fractional digits; finer digits are dropped, fewer are padded.
            let fraction = Array(bytes[20..<(bytes.count - 1)])
            guard (1...9).contains(fraction.count), fraction.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            for digit in (fraction + [48, 48]).prefix(3) { milliseconds = milliseconds * 10 + Int64(digit - 48) }
        } else if bytes.count != 20 {
            return nil
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts)) * 1000 + milliseconds
    }
}

extension Int64 {
    /// Division rounding towards negative infinity (times before 1970 stay well-formed).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
