/// Readers for the data lines of Harvard query replies; tolerant of extra spaces and `hr`.
public enum HarvardReplyValues {
    /// The `status` line: `<rate fL/s> <time> <volume fL> <flags>` (docs/DEVICE-BASIS.md §3).
    /// The time field is seconds per the PHD ULTRA manual but milliseconds per the Elite driver,
    /// so it is kept as printed.
    public struct Status: Hashable, Sendable {
        public var rateFemtolitresPerSecond: Double
        public var time: Double
        public var volumeFemtolitres: Double
        /// Five or six flag characters: direction (upper case while running), limit switch,
        /// stall `S`, trigger `T`, direction port, and on the Elite a target-reached `T`.
        public var flags: String

        public init(rateFemtolitresPerSecond: Double, time: Double, volumeFemtolitres: Double, flags: String) {
            self.rateFemtolitresPerSecond = rateFemtolitresPerSecond
            self.time = time
            self.volumeFemtolitres = volumeFemtolitres
            self.flags = flags
        }

        /// Whether the flags say the motor is running.
        public var isRunning: Bool { flags.first.map { $0 == "I" || $0 == "W" } ?? false }
        /// Whether the stall flag is set.
        public var isStalled: Bool { flags.dropFirst(2).first == "S" }
        /// The rate in mL/h (1 mL = 10¹² fL).
        public var rateMillilitresPerHour: Double { rateFemtolitresPerSecond * 3600 / 1e12 }
        /// The volume in mL.
        public var volumeMillilitres: Double { volumeFemtolitres / 1e12 }
    }

    /// `5.25 ml/h` → (5.25, mL/h).
    public static func rate(_ line: String) -> (value: Double, units: HarvardRateUnits)? {
        let words = line.split(separator: " ")
        guard words.count == 2, let value = HarvardNumber.value(words[0]),
            let units = HarvardRateUnits(spelling: words[1])
        else { return nil }
        return (value, units)
    }

    /// `0.1234 ml` → (0.1234, mL).
    public static func volume(_ line: String) -> (value: Double, units: HarvardVolumeUnits)? {
        let words = line.split(separator: " ")
        guard words.count == 2, let value = HarvardNumber.value(words[0]),
            let units = HarvardVolumeUnits(rawValue: words[1].lowercased())
        else { return nil }
        return (value, units)
    }

    /// `26.59 mm` or `26.59` → 26.59.
    public static func diameter(_ line: String) -> Double? {
        let words = line.split(separator: " ")
        guard (1...2).contains(words.count), words.count == 1 || words[1].lowercased() == "mm" else { return nil }
        return HarvardNumber.value(words[0])
    }

    public static func status(_ line: String) -> Status? {
        let words = line.split(separator: " ")
        guard words.count == 4, let rate = HarvardNumber.value(words[0]), let time = HarvardNumber.value(words[1]),
            let volume = HarvardNumber.value(words[2]), (5...6).contains(words[3].count)
        else { return nil }
        return Status(rateFemtolitresPerSecond: rate, time: time, volumeFemtolitres: volume, flags: String(words[3]))
    }
}
