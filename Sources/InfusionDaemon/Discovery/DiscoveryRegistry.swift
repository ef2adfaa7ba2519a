/// The devices present and which chair role each serves: the decisions of discovery, without udev
/// or I/O, so every hotplug sequence is a unit test.
///
/// Each chair role with a udev match remembers the identity (`DeviceIdentity.adoptionKey`) of the
/// first device it drove. A later device that matches is driven only if it is that same adapter;
/// any other is refused until `adopt` accepts it, because a pump quietly replaced by another on the
/// chair's port is a pump nobody checked.
package struct DiscoveryRegistry: Sendable {
    /// Why `adopt` could not accept a device.
    package struct AdoptionError: Error, Sendable, Hashable, CustomStringConvertible {
        package var code: String
        package var message: String
        package var description: String { message }
    }

    private let matcher: DeviceMatcher
    /// The protocol driver each chair role is configured with (`DeviceFamily.rawValue`).
    private let drivers: [ChairRole: String]
    /// Present devices by syspath.
    private var present: [String: (identity: DeviceIdentity, standing: DeviceStanding)] = [:]
    /// The adapter each chair role accepted, by adoption key; kept across unplugging.
    private var remembered: [ChairRole: String] = [:]

    /// `claims` are every configured chair role (fixed paths too, so the listing can show which
    /// present device a fixed path is); `drivers` the configured family of each.
    package init(claims: [DeviceClaim], drivers: [ChairRole: String]) {
        matcher = DeviceMatcher(claims: claims)
        self.drivers = drivers
    }

    /// Restores what `slot` remembered before a restart (from the audit log), so a different adapter found at
    /// start-up is refused as it would have been before; a memory taken since is kept.
    package mutating func recall(_ adoptionKey: String, for slot: ChairRole) {
        if remembered[slot] == nil { remembered[slot] = adoptionKey }
    }

    /// Present devices worth listing (USB adapters and any device a chair claims), by devnode.
    package var devices: [(identity: DeviceIdentity, standing: DeviceStanding)] {
        present.values.sorted { $0.identity.devnode < $1.identity.devnode }
    }

    /// The device driven for `slot`, if one is.
    package func driven(for slot: ChairRole) -> DeviceIdentity? {
        present.values.first { $0.standing == .driven(slot) }?.identity
    }

    /// A device appeared (start-up enumeration or hotplug). An `add` for a device already present
    /// (enumeration racing the monitor) changes nothing.
    package mutating func add(_ identity: DeviceIdentity) -> [DiscoveryDecision] {
        if let known = present[identity.syspath], known.identity.adoptionKey == identity.adoptionKey { return [] }
        if present[identity.syspath] != nil { _ = remove(identity) }
        let standing = standing(of: identity)
        switch standing {
        case .unbound where !identity.isUSB:
            return []
        case .unbound, .fixedPath:
            present[identity.syspath] = (identity, standing)
            return []
        case .driven(let slot):
            present[identity.syspath] = (identity, standing)
            remembered[slot] = identity.adoptionKey
            return [.drive(slot, identity)]
        case .refused, .conflicting:
            present[identity.syspath] = (identity, standing)
            return [.refuse(identity, standing)]
        }
    }

    /// A device is gone; if a chair role drove it, that role's link must go down.
    package mutating func remove(_ identity: DeviceIdentity) -> [DiscoveryDecision] {
        let syspath = present[identity.syspath] != nil
            ? identity.syspath : present.first { $0.value.identity.devnode == identity.devnode }?.key
        guard let syspath, let gone = present.removeValue(forKey: syspath) else { return [] }
        if case .driven(let slot) = gone.standing { return [.withdraw(slot, gone.identity)] }
        return []
    }

    /// Accepts the one refused device of `slot` as its adapter from now on and drives it. Refused
    /// when the role already drives a device (unplug it first) or when no single device waits.
    package mutating func adopt(_ slot: ChairRole) throws(AdoptionError) -> [DiscoveryDecision] {
        if let current = driven(for: slot) {
            throw AdoptionError(
                code: "device-in-use", message: "\(slot) drives \(current.devnode); unplug it before adopting another")
        }
        let waiting = present.filter {
            if case .refused(slot, _) = $0.value.standing { return true }
            return false
        }
        guard let (syspath, entry) = waiting.first else {
            throw AdoptionError(code: "no-device", message: "no refused device waits for \(slot)")
        }
        guard waiting.count == 1 else {
            throw AdoptionError(
                code: "ambiguous", message: "\(waiting.count) devices wait for \(slot); unplug all but one")
        }
        if let driver = entry.identity.siteDriver, let configured = drivers[slot], driver != configured {
            throw AdoptionError(
                code: "driver-mismatch",
                message: "a site rule says \(entry.identity.devnode) speaks \(driver); \(slot) is configured for \(configured)")
        }
        remembered[slot] = entry.identity.adoptionKey
        present[syspath] = (entry.identity, .driven(slot))
        return [.drive(slot, entry.identity)]
    }

    private func standing(of identity: DeviceIdentity) -> DeviceStanding {
        switch matcher.assignment(for: identity) {
        case .unbound:
            return .unbound
        case .conflicting(let claims):
            let slots = claims.map(ChairRole.init)
            return .conflicting(slots, reason: "claimed by \(slots.map(\.description).joined(separator: " and "))")
        case .bound(let claim):
            let slot = ChairRole(claim)
            if case .path = claim.match { return .fixedPath(slot) }
            if let current = driven(for: slot) {
                return .refused(slot, reason: "\(slot) already drives \(current.devnode)")
            }
            if let driver = identity.siteDriver, let configured = drivers[slot], driver != configured {
                return .refused(slot, reason: "a site rule says it speaks \(driver); \(slot) is configured for \(configured)")
            }
            if let known = remembered[slot], known != identity.adoptionKey {
                return .refused(
                    slot, reason: "\(slot) remembers another adapter; this is \(identity.adoptionDescription) (use adopt)")
            }
            return .driven(slot)
        }
    }
}
