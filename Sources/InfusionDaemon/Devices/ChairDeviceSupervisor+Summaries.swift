package import WireProtocol

extension ChairDeviceSupervisor {
    /// What `devices` lists: every configured chair role (with the device serving it, or its fixed
    /// path), then every other present USB-serial device with its standing (unbound, refused,
    /// conflicting). Unbound devices are listed only; nothing opens them.
    package var deviceSummaries: [DeviceSummary] {
        let present = registry.withLock { $0.devices }
        let configured = Self.bindings(of: chairs).map { summary(of: $0.0) }
        let others = present.filter {
            switch $0.standing {
            case .driven, .fixedPath: false
            case .unbound, .refused, .conflicting: true
            }
        }
        return configured + others.map { summary(of: $0.identity, standing: $0.standing) }
    }

    /// One configured chair role: its device's identity when udev knows it, its link state.
    func summary(of place: ChairRole) -> DeviceSummary {
        let binding = Self.bindings(of: chairs).first { $0.0 == place }?.1
        let link = links.withLock { $0[place] } == true ? "up" : "down"
        let known = registry.withLock { registry in
            registry.driven(for: place)
                ?? registry.devices.first { $0.standing == .fixedPath(place) }?.identity
        }
        var summary: DeviceSummary
        if let known {
            summary = self.summary(of: known, standing: .driven(place), link: link)
        } else {
            summary = DeviceSummary(
                path: binding?.path ?? "", chair: place.chair, role: place.role.rawValue, link: link,
                binding: binding?.path == nil ? "waiting" : "bound")
        }
        summary.driver = binding?.family.rawValue
        if let path = binding?.path { summary.path = path }
        summary.match = binding.map(Self.matchName)
        return summary
    }

    /// One present device with its standing.
    func summary(of identity: DeviceIdentity, standing: DeviceStanding, link: String? = nil) -> DeviceSummary {
        var summary = DeviceSummary(
            path: identity.devnode, driver: identity.siteDriver, vendor: identity.vendorID, model: identity.modelID,
            serial: identity.serialShort, link: link ?? "down", idPath: identity.idPath, bridge: identity.driver)
        switch standing {
        case .unbound:
            summary.binding = "unbound"
        case .driven(let place), .fixedPath(let place):
            summary.binding = "bound"
            summary.chair = place.chair
            summary.role = place.role.rawValue
            summary.driver = Self.bindings(of: chairs).first { $0.0 == place }?.1.family.rawValue ?? summary.driver
            if link == nil { summary.link = links.withLock { $0[place] } == true ? "up" : "down" }
        case .refused(let place, let reason):
            summary.binding = "refused"
            summary.chair = place.chair
            summary.role = place.role.rawValue
            summary.reason = reason
        case .conflicting(_, let reason):
            summary.binding = "conflicting"
            summary.reason = reason
        }
        return summary
    }

    private static func matchName(_ binding: DeviceBinding) -> String {
        if binding.serial != nil { return "serial" }
        if binding.idPath != nil { return "idPath" }
        if binding.siteRule == true { return "siteRule" }
        return "path"
    }
}
