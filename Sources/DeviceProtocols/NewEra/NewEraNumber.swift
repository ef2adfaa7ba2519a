/// A non-negative decimal number written the way the NE-1000 reads and prints it: at most four
/// digits and one decimal point, at most three digits after the point (`26.59`, `0.125`, `1700`).
///
/// The pump rejects anything longer, so a value that does not fit cannot be sent; the initialisers
/// fail instead of silently sending something else. Format: docs/DEVICE-BASIS.md §1
/// ("Number format"), manual text and nesp-lib agree.
public struct NewEraNumber: Hashable, Sendable, CustomStringConvertible {
    /// The digits as they go on the wire.
    public let text: String
    /// The value in thousandths; exact, because at most three decimals are allowed.
    public let thousandths: Int

    /// The most digits a number may have, leading zero included.
    public static let maximumDigits = 4
    /// The most digits allowed after the decimal point.
    public static let maximumDecimals = 3

    /// Zero, as `0`.
    public static let zero = NewEraNumber(checkedText: "0", thousandths: 0)

    private init(checkedText: String, thousandths: Int) {
        self.text = checkedText
        self.thousandths = thousandths
    }

    /// The value as a `Double`.
    public var value: Double { Double(thousandths) / 1000 }

    public var description: String { text }

    /// Validates `text` as a pump number; nil when it has other characters, more than four digits,
    /// more than three decimals, two points, or no digit at all.
    public init?(text: some StringProtocol) {
        let bytes = Array(text.utf8)
        // Four digits and a point: anything longer is invalid, and the bound keeps arithmetic safe.
        guard !bytes.isEmpty, bytes.count <= Self.maximumDigits + 1 else { return nil }
        var integerPart = 0
        var fraction = 0
        var fractionDigits = 0
        var digitCount = 0
        var sawPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if let digit = PumpASCII.digit(byte) {
                digitCount += 1
                if sawPoint {
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else {
                    integerPart = integerPart * 10 + digit
                }
            } else {
                return nil
            }
        }
        guard digitCount >= 1, digitCount <= Self.maximumDigits, fractionDigits <= Self.maximumDecimals else {
            return nil
        }
        var scaledFraction = fraction
        for _ in fractionDigits..<Self.maximumDecimals { scaledFraction *= 10 }
        self.text = String(decoding: bytes, as: UTF8.self)
        self.thousandths = integerPart * 1000 + scaledFraction
    }

    /// The shortest pump number nearest to `value`, keeping as many decimals as four digits allow
    /// (5.25 → `5.25`, 1700 → `1700`, 12.3456 → `12.35`). Nil for negative, non-finite or
    /// too-large values (≥ 9999.5). Check `value` afterwards when the rounding matters.
    public init?(rounding value: Double) {
        guard let (scaled, decimals) = Self.fit(value) else { return nil }
        var text = Self.render(scaled: scaled, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        self.init(text: text)
    }

    /// The fixed-width form the pump prints in its replies: always four digits and a point
    /// (5 → `5.000`, 26.59 → `26.59`, 150 → `150.0`, 2500 → `2500.`). Clients such as nesp-lib
    /// insist on the point. Nil when `value` does not fit.
    public init?(fixedWidth value: Double) {
        guard let (scaled, decimals) = Self.fit(value) else { return nil }
        let text = Self.render(scaled: scaled, decimals: decimals)
        self.init(text: decimals == 0 ? text + "." : text)
    }

    /// The rounded value scaled by 10^decimals, with the most decimals that still fit four digits.
    private static func fit(_ value: Double) -> (scaled: Int, decimals: Int)? {
        guard value.isFinite, value >= 0, value < 9999.5 else { return nil }
        for decimals in stride(from: maximumDecimals, through: 0, by: -1) {
            var power = 1.0
            for _ in 0..<decimals { power *= 10 }
            let scaled = Int((value * power).rounded())
            let integerDigits = max(1, String(scaled).count - decimals)
            if integerDigits + decimals <= maximumDigits { return (scaled, decimals) }
        }
        return nil
    }

    private static func render(scaled: Int, decimals: Int) -> String {
        guard decimals > 0 else { return String(scaled) }
        var digits = String(scaled)
        while digits.count <= decimals { digits = "0" + digits }
        let pointIndex = digits.index(digits.endIndex, offsetBy: -decimals)
        return digits[..<pointIndex] + "." + digits[pointIndex...]
    }
}
