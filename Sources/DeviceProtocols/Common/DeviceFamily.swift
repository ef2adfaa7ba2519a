/// The device families infusiond speaks to. Each has one folder of codecs under DeviceProtocols and
/// one simulator under DeviceSimulators, so adding a device touches one place.
public enum DeviceFamily: String, CaseIterable, Hashable, Sendable, Codable {
    /// New Era Pump Systems NE-1000 family syringe pumps (also sold as WPI Aladdin, Landgraf LA).
    case newEra = "newera"
    /// Harvard Apparatus Pump 11 Elite / PHD ULTRA syringe pumps.
    case harvard
    /// Masimo Radical-7 / Rad-8 pulse oximeters, serial ASCII output.
    case masimo
    /// Nonin pulse oximeters, Data Format 2 or 8.
    case nonin
    /// Philips IntelliVue patient monitors, MIB/RS232 Data Export.
    case intelliVue = "intellivue"

    /// The serial rates a device of this family can be set to (docs/DEVICE-BASIS.md: NE-1000 §1 via
    /// `*ADR`, Harvard §3, Masimo §4, Nonin §5, IntelliVue §6 fixed-baud protocol).
    public var baudRates: [Int] {
        switch self {
        case .newEra: [300, 1_200, 2_400, 9_600, 19_200]
        case .harvard: [9_600, 19_200, 38_400, 57_600, 115_200]
        case .masimo, .nonin: [9_600]
        case .intelliVue: [115_200]
        }
    }

    /// The per-device settings (configuration names) that mean something for this family: a chain
    /// address for the pumps, the NE-1000's safe-mode timeout, the Nonin data format, a monitor's
    /// reopen interval; every family may be set to another of its `baudRates`.
    public var deviceSettings: Set<String> {
        switch self {
        case .newEra: ["address", "baudRate", "safeModeTimeoutSeconds"]
        case .harvard: ["address", "baudRate"]
        case .masimo, .intelliVue: ["baudRate", "reopenSeconds"]
        case .nonin: ["baudRate", "noninFormat", "reopenSeconds"]
        }
    }

    /// Whether devices of this family are syringe pumps (otherwise patient monitors).
    public var isPump: Bool {
        switch self {
        case .newEra, .harvard: true
        case .masimo, .nonin, .intelliVue: false
        }
    }
}
