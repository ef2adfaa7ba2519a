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

    /// Whether devices of this family are syringe pumps (otherwise patient monitors).
    public var isPump: Bool {
        switch self {
        case .newEra, .harvard: true
        case .masimo, .nonin, .intelliVue: false
        }
    }
}
