public import DeviceProtocols
package import InfusionCore

/// How a chair names one of its devices: the protocol family, and exactly one way to find the device.
///
/// - `path`: a fixed node or link (a pty, `/dev/infusiond/ftdi-A10K4Q7B`); reopened at that path
///   every `devices.reopenSeconds` while it is gone. Works without udev.
/// - `serial` (optionally narrowed by `vendorID`): the USB adapter's serial string (ID_SERIAL_SHORT).
/// - `idPath`: the physical USB port (ID_PATH), for adapters without a serial number.
/// - `siteRule: true`: the device a site udev rule labelled with this chair (INFUSIOND_CHAIR) and
///   role (INFUSIOND_ROLE); docs/UDEV.md.
///
/// The last three are udev matches: the device is driven when udev reports it, and the first device
/// that matches is remembered; a different one that matches later is refused until `adopt`.
public struct DeviceBinding: Codable, Sendable, Equatable {
    public var family: DeviceFamily
    public var path: String?
    public var serial: String?
    public var vendorID: String?
    public var idPath: String?
    public var siteRule: Bool?
    /// Settings of this device that differ from its family's factory ones; checked against the family
    /// at load (`DeviceSettings.problems(for:)`).
    public var settings: DeviceSettings?

    /// A fixed-path binding.
    public init(family: DeviceFamily, path: String) {
        self.family = family
        self.path = path
    }

    /// A udev-match binding; exactly one of `serial`, `idPath` and `siteRule` should be given.
    public init(
        family: DeviceFamily, serial: String? = nil, vendorID: String? = nil, idPath: String? = nil,
        siteRule: Bool? = nil
    ) {
        self.family = family
        self.serial = serial
        self.vendorID = vendorID
        self.idPath = idPath
        self.siteRule = siteRule
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        family = try container.decode(DeviceFamily.self, forKey: .family)
        path = try container.decodeIfPresent(String.self, forKey: .path)
        serial = try container.decodeIfPresent(String.self, forKey: .serial)
        vendorID = try container.decodeIfPresent(String.self, forKey: .vendorID)
        idPath = try container.decodeIfPresent(String.self, forKey: .idPath)
        siteRule = try container.decodeIfPresent(Bool.self, forKey: .siteRule)
        settings = try container.decodeIfPresent(DeviceSettings.self, forKey: .settings)
        if let problems = settings?.problems(for: family), !problems.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .settings, in: container, debugDescription: problems.joined(separator: "; "))
        }
        let ways = [path, serial, idPath].compactMap { $0 }.filter { !$0.isEmpty }.count + (siteRule == true ? 1 : 0)
        guard ways == 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .path, in: container,
                debugDescription: "name the device by exactly one of path, serial, idPath or siteRule: true")
        }
        guard vendorID == nil || serial != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .vendorID, in: container, debugDescription: "vendorID only narrows a serial match")
        }
    }

    /// Whether udev finds the device (serial, idPath, siteRule) rather than a fixed path.
    package var usesDiscovery: Bool { path == nil }

    /// The match for the device of `role` on chair `chair`.
    package func match(chair: String, role: DeviceRole) -> DeviceMatch {
        if let serial { return .serial(serial, vendorID: vendorID) }
        if let idPath { return .idPath(idPath) }
        if siteRule == true { return .property(chair: chair, role: role) }
        return .path(path ?? "")
    }
}
