/// ASCII number reading shared by the pump protocols that print their values as text.
enum PumpASCII {
    /// The value of an ASCII decimal digit, nil for any other byte.
    static func digit(_ byte: UInt8) -> Int? {
        (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil
    }

    /// Unsigned digits with at most one point and at most `maximumLength` characters; nil otherwise.
    static func decimal(_ text: some StringProtocol, maximumLength: Int) -> Double? {
        guard !text.isEmpty, text.utf8.count <= maximumLength else { return nil }
        // Digits are gathered as an integer and scaled once, so `0.1234` reads as the same
        // Double a literal would (summing scaled digits accumulates rounding error).
        var mantissa = 0
        var decimals = 0
        var sawPoint = false
        var sawDigit = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if let digit = digit(byte) {
                sawDigit = true
                mantissa = mantissa * 10 + digit
                if sawPoint { decimals += 1 }
            } else {
                return nil
            }
        }
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        return sawDigit ? Double(mantissa) / power : nil
    }
}
