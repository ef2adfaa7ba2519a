import DeviceProtocols

extension MasimoTimestamp {
    /// The timestamp `seconds` later, on the proleptic Gregorian calendar, years 2000–2099 as the
    /// device's two-digit year implies.
    func advanced(bySeconds seconds: Int) -> MasimoTimestamp {
        let days = Self.daysFromCivil(year: 2000 + year, month: month, day: day)
        let total = days * 86_400 + hour * 3_600 + minute * 60 + second + seconds
        let (dayCount, secondOfDay) = total.quotientAndRemainder(dividingBy: 86_400)
        let (year, month, day) = Self.civil(fromDays: dayCount)
        return MasimoTimestamp(
            month: month, day: day, year: (year - 2000) % 100, hour: secondOfDay / 3_600,
            minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
