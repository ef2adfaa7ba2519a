package import InfusionCore

/// How configuration names the device that serves one chair role (issue 6, point 3).
package enum DeviceMatch: Sendable, Hashable {
    /// The adapter's USB serial (ID_SERIAL_SHORT), optionally narrowed to a vendor id so two
    /// vendors' chips that happen to share a serial string are not confused.
    case serial(String, vendorID: String? = nil)
    /// The physical USB port (ID_PATH); for adapters without a serial number (most PL2303).
    case idPath(String)
    /// The chair and role a site udev rule set (INFUSIOND_CHAIR, INFUSIOND_ROLE).
    case property(chair: String, role: DeviceRole)
    /// A fixed node or link path (a pty, `/dev/infusiond/...`, `/dev/serial/by-id/...`).
    case path(String)

    /// Whether `identity` satisfies this match. Absent facts never match.
    package func matches(_ identity: DeviceIdentity) -> Bool {
        switch self {
        case .serial(let serial, let vendorID):
            guard identity.serialShort == serial else { return false }
            guard let vendorID else { return true }
            return identity.vendorID == vendorID.lowercased()
        case .idPath(let path):
            return identity.idPath == path
        case .property(let chair, let role):
            return identity.siteChair == chair && identity.siteRole == role
        case .path(let path):
            return identity.paths.contains(path)
        }
    }
}

/// One configured chair role and the match that picks its device.
package struct DeviceClaim: Sendable, Hashable {
    package var chair: String
    package var role: DeviceRole
    package var match: DeviceMatch

    package init(chair: String, role: DeviceRole, match: DeviceMatch) {
        self.chair = chair
        self.role = role
        self.match = match
    }
}
