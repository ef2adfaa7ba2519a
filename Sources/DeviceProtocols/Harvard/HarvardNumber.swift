/// Decimal text for Harvard commands: up to four decimals, trailing zeros dropped (`5`, `5.25`).
public enum HarvardNumber {
    /// Nil for negative or non-finite values, or values too large to be a pump setting.
    public static func text(_ value: Double) -> String? {
        guard value.isFinite, value >= 0, value < 1e9 else { return nil }
        let scaled = Int((value * 10_000).rounded())
        var text = String(scaled / 10_000)
        var fraction = String(scaled % 10_000)
        while fraction.count < 4 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return text
    }

    /// Parses digits with an optional point and sign-less; at most 16 characters.
    public static func value(_ text: some StringProtocol) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 16 else { return nil }
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
            } else if let digit = PumpASCII.digit(byte) {
                sawDigit = true
                mantissa = mantissa * 10 + digit
                if sawPoint { decimals += 1 }
            } else {
                return nil
            }
        }
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        let value = Double(mantissa) / power
        return sawDigit ? value : nil
    }
}
