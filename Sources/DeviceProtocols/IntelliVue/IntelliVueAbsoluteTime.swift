/// The AbsoluteTime of Data Export: eight BCD bytes, century, year, month, day, hour, minute,
/// second and second fractions (docs/DEVICE-BASIS.md section 6, "Data messages"). A monitor without
/// a wall clock sends all eight bytes as 0xFF.
///
/// Only differences between two of these are used (the age of a numeric at the moment of a poll
/// reply), so the monitor's clock need not agree with the host's.
public struct IntelliVueAbsoluteTime: Hashable, Sendable {
    public static let byteCount = 8

    /// The eight bytes as sent, BCD.
    public var bytes: [UInt8]

    /// Wraps eight BCD bytes; nil when there are not eight, when they are the "no clock" pattern
    /// (all 0xFF) or when a byte is not BCD or a field is out of its calendar range.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount, bytes.contains(where: { $0 != 0xFF }) else { return nil }
        let fields = bytes.map(Self.decimal)
        guard fields[0] != nil, fields[1] != nil, fields[7] != nil, let month = fields[2], let day = fields[3], let hour = fields[4], let minute = fields[5],
            let second = fields[6], (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        self.bytes = bytes
    }

    /// Builds the BCD bytes from calendar fields; nil when a field is out of range.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, hundredths: Int = 0) {
        guard (0...9999).contains(year), (0...99).contains(hundredths) else { return nil }
        let values = [year / 100, year % 100, month, day, hour, minute, second, hundredths]
        self.init(bytes: values.map { UInt8($0 / 10) << 4 | UInt8($0 % 10) })
    }

    /// Whole seconds from 0000-03-01 (a proleptic Gregorian day count): only differences matter.
    public var secondsSinceEpoch: Int64 {
        let field = bytes.map { Int64(Self.decimal($0) ?? 0) }
        let days = Self.daysFromCivil(year: field[0] * 100 + field[1], month: field[2], day: field[3])
        return ((days * 24 + field[4]) * 60 + field[5]) * 60 + field[6]
    }

    /// Whole seconds from `earlier` to `self` (negative when `earlier` is later).
    public func seconds(since earlier: IntelliVueAbsoluteTime) -> Int64 {
        secondsSinceEpoch - earlier.secondsSinceEpoch
    }

    private static func decimal(_ byte: UInt8) -> Int? {
        let high = Int(byte >> 4)
        let low = Int(byte & 0x0F)
        guard high < 10, low < 10 else { return nil }
        return high * 10 + low
    }

    /// Days of the proleptic Gregorian calendar counted from 1 March of year 0, so that leap days
    /// fall at the end of each counted year.
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra
    }
}
