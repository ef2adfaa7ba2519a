package import DeviceProtocols

/// Settings of one configured device that differ from its family's factory ones (`settings` in a
/// chair's `pump` or `monitor` binding). Each family takes only the ones that mean something for it
/// (`DeviceFamily.deviceSettings`); any other is refused at load, as is a value outside its range.
/// Pure configuration (the fuzzed configuration loader compiles this folder on its own); the drivers
/// take these through `DeviceSettings+Drivers.swift`.
public struct DeviceSettings: Codable, Sendable, Equatable {
    /// The names of the settings, as `DeviceFamily.deviceSettings` lists them.
    public enum Field: String, CaseIterable, Sendable {
        case address, baudRate, safeModeTimeoutSeconds, noninFormat, reopenSeconds
    }

    /// The pump's address on its chain, 0–99 (docs/DEVICE-BASIS.md §1, §3).
    public var address: UInt8?
    /// The serial speed the device is set to, one of its family's rates.
    public var baudRate: Int?
    /// NE-1000 safe-mode timeout, 1–255 s: how soon the pump stops itself once infusiond falls silent.
    public var safeModeTimeoutSeconds: UInt8?
    /// The Nonin data format the oximeter is set to: `df2` or `df8` (docs/DEVICE-BASIS.md §5).
    public var noninFormat: String?
    /// How often a monitor that went away is reopened, seconds.
    public var reopenSeconds: Double?

    public init(
        address: UInt8? = nil, baudRate: Int? = nil, safeModeTimeoutSeconds: UInt8? = nil, noninFormat: String? = nil,
        reopenSeconds: Double? = nil
    ) {
        self.address = address
        self.baudRate = baudRate
        self.safeModeTimeoutSeconds = safeModeTimeoutSeconds
        self.noninFormat = noninFormat
        self.reopenSeconds = reopenSeconds
    }

    /// The fields given.
    var given: [Field] {
        [
            address.map { _ in Field.address }, baudRate.map { _ in .baudRate },
            safeModeTimeoutSeconds.map { _ in .safeModeTimeoutSeconds }, noninFormat.map { _ in .noninFormat },
            reopenSeconds.map { _ in .reopenSeconds },
        ].compactMap { $0 }
    }

    /// What is wrong with these settings for a device of `family`, if anything.
    package func problems(for family: DeviceFamily) -> [String] {
        var problems = given.filter { !family.deviceSettings.contains($0.rawValue) }.map {
            "'\($0.rawValue)' is not a setting of \(family.rawValue) devices"
        }
        if let address, address > 99 { problems.append("address must be 0-99") }
        if let baudRate, !family.baudRates.contains(baudRate) {
            problems.append("\(family.rawValue) devices run at \(family.baudRates.map(String.init).joined(separator: ", ")) baud")
        }
        if safeModeTimeoutSeconds == 0 { problems.append("safeModeTimeoutSeconds must be 1-255 (0 would disarm the pump's own stop)") }
        if let noninFormat, NoninDataFormat(rawValue: noninFormat) == nil { problems.append("noninFormat must be df2 or df8") }
        if let reopenSeconds, !(reopenSeconds > 0) { problems.append("reopenSeconds must be positive") }
        return problems
    }
}
