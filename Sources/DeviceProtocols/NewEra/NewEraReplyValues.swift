/// Readers for the payloads of NE-1000 query replies. They are tolerant (spaces allowed, any
/// number of digits) because a host must read what the pump prints, not what it would send.
/// Formats: docs/DEVICE-BASIS.md §1 command table.
public enum NewEraReplyValues {
    /// Model and firmware from `VER`: `NE<model>[X<upgrade>]V<major>.<minor>`.
    public struct Version: Hashable, Sendable {
        public var model: Int
        public var upgrade: Int?
        public var major: Int
        public var minor: Int

        public init(model: Int, upgrade: Int? = nil, major: Int, minor: Int) {
            self.model = model
            self.upgrade = upgrade
            self.major = major
            self.minor = minor
        }

        /// The text the pump prints.
        public var text: String {
            "NE\(model)" + (upgrade.map { "X\($0)" } ?? "") + "V\(major).\(minor)"
        }
    }

    /// The two accumulators of `DIS`, in the pump's current volume units.
    public struct Dispensed: Hashable, Sendable {
        public var infused: Double
        public var withdrawn: Double
        public var units: NewEraVolumeUnits

        public init(infused: Double, withdrawn: Double, units: NewEraVolumeUnits) {
            self.infused = infused
            self.withdrawn = withdrawn
            self.units = units
        }

        /// Infused volume in mL.
        public var infusedMillilitres: Double { infused * units.millilitres }
    }

    /// `5.000MH` → (5.0, mL/h).
    public static func rate(_ payload: String) -> (value: Double, units: NewEraRateUnits)? {
        let text = compact(payload)
        guard let units = NewEraRateUnits(rawValue: String(text.suffix(2))),
            let value = decimal(text.dropLast(2))
        else { return nil }
        return (value, units)
    }

    /// `10.00ML` → (10.0, mL).
    public static func volume(_ payload: String) -> (value: Double, units: NewEraVolumeUnits)? {
        let text = compact(payload)
        guard let units = NewEraVolumeUnits(rawValue: String(text.suffix(2))),
            let value = decimal(text.dropLast(2))
        else { return nil }
        return (value, units)
    }

    /// `I0.125W0.000ML`.
    public static func dispensed(_ payload: String) -> Dispensed? {
        let text = compact(payload)
        guard text.first == "I", let units = NewEraVolumeUnits(rawValue: String(text.suffix(2))) else { return nil }
        let numbers = text.dropFirst().dropLast(2).split(separator: "W", omittingEmptySubsequences: false)
        guard numbers.count == 2, let infused = decimal(numbers[0]), let withdrawn = decimal(numbers[1]) else {
            return nil
        }
        return Dispensed(infused: infused, withdrawn: withdrawn, units: units)
    }

    /// A plain decimal such as the `DIA` reply `26.59`.
    public static func number(_ payload: String) -> Double? {
        decimal(compact(payload))
    }

    /// `INF` or `WDR`.
    public static func direction(_ payload: String) -> NewEraDirection? {
        let direction = NewEraDirection(rawValue: String(compact(payload)))
        return direction == .reverse ? nil : direction
    }

    /// `NE1000V3.928`, `NE1000X2V3.928`.
    public static func version(_ payload: String) -> Version? {
        let text = compact(payload)
        guard text.hasPrefix("NE"), let vIndex = text.firstIndex(of: "V") else { return nil }
        let modelPart = text[text.index(text.startIndex, offsetBy: 2)..<vIndex]
        let modelFields = modelPart.split(separator: "X", maxSplits: 1, omittingEmptySubsequences: false)
        let firmware = text[text.index(after: vIndex)...].split(separator: ".", omittingEmptySubsequences: false)
        guard let model = integer(modelFields[0]), firmware.count == 2,
            let major = integer(firmware[0]), let minor = integer(firmware[1])
        else { return nil }
        var upgrade: Int?
        if modelFields.count == 2, !modelFields[1].isEmpty {
            guard let value = integer(modelFields[1]) else { return nil }
            upgrade = value
        }
        return Version(model: model, upgrade: upgrade, major: major, minor: minor)
    }

    private static func compact(_ payload: String) -> Substring {
        Substring(payload.filter { !$0.isWhitespace })
    }

    /// Digits with at most one point, at most 12 characters; nil otherwise.
    static func decimal(_ text: Substring) -> Double? {
        PumpASCII.decimal(text, maximumLength: 12)
    }

    static func integer(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9 else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard let digit = PumpASCII.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
