package import InfusionCore

/// One device place of one chair: chair 3's pump, chair 3's monitor.
package struct ChairRole: Sendable, Hashable, CustomStringConvertible {
    package var chair: String
    package var role: DeviceRole

    package init(chair: String, role: DeviceRole) {
        self.chair = chair
        self.role = role
    }

    package init(_ claim: DeviceClaim) {
        self.init(chair: claim.chair, role: claim.role)
    }

    package var description: String { "chair \(chair) \(role.rawValue)" }
}
