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
        PumpASCII.decimal(text, maximumLength: 16)
    }
}
