/// Plain decimal text for numbers in exports: no exponent (HL7 NM and CSV readers reject `1e-05`),
/// at most `maxFractionDigits` decimals, no trailing zeros, `-0` printed as `0`.
package enum DecimalText {
    /// Decimals kept by default: finer than any clinical display (0.1 mL/h, 0.01 mg/kg/h).
    package static let defaultFractionDigits = 4

    /// The text for `value`, or nil when it is not finite or too large to print exactly.
    package static func format(_ value: Double, maxFractionDigits: Int = defaultFractionDigits) -> String? {
        let digits = min(max(maxFractionDigits, 0), 6)
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        // 9e15 keeps the scaled value inside Double's exact integer range.
        guard scaled.isFinite, abs(scaled) < 9e15 else { return nil }
        let units = Int64(scaled)
        let whole = units.magnitude / UInt64(scale)
        var fraction = String(units.magnitude % UInt64(scale))
        fraction = String(repeating: "0", count: digits - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = units < 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// The text for `value`, or "" when there is none or it cannot be printed.
    package static func format(optional value: Double?) -> String {
        value.flatMap { format($0) } ?? ""
    }
}
