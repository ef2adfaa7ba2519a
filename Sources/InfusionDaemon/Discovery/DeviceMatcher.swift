/// What the matcher decided for one device.
package enum DeviceAssignment: Sendable, Hashable {
    /// Exactly one chair role claims the device: it may be driven for that claim.
    case bound(DeviceClaim)
    /// No claim matches: list the device, never drive it.
    case unbound
    /// Several chair roles claim the device (a configuration or site-rule error): list it with the
    /// conflicting claims and drive none of them, since guessing could put a pump on the wrong chair.
    case conflicting([DeviceClaim])

    /// The claim to drive the device for, if any.
    package var claim: DeviceClaim? {
        if case .bound(let claim) = self { return claim }
        return nil
    }
}

/// Decides which configured chair role each device serves. Pure: no udev, no I/O.
package struct DeviceMatcher: Sendable {
    /// The configured claims, in configuration order.
    package let claims: [DeviceClaim]

    package init(claims: [DeviceClaim]) {
        self.claims = claims
    }

    /// The assignment of one device: bound when exactly one claim (chair and role) matches it.
    /// Claims that repeat the same chair and role with different matches count once.
    package func assignment(for identity: DeviceIdentity) -> DeviceAssignment {
        var matching: [DeviceClaim] = []
        for claim in claims where claim.match.matches(identity) {
            if !matching.contains(where: { $0.chair == claim.chair && $0.role == claim.role }) {
                matching.append(claim)
            }
        }
        switch matching.count {
        case 0: return .unbound
        case 1: return .bound(matching[0])
        default: return .conflicting(matching)
        }
    }

    /// For each claim, the devices among `identities` that satisfy it, in the order given. A claim
    /// with more than one device is ambiguous (two adapters on a chair's port label); the caller
    /// must drive none of them and say so.
    package func candidates(
        among identities: [DeviceIdentity]
    ) -> [(claim: DeviceClaim, devices: [DeviceIdentity])] {
        claims.map { claim in (claim, identities.filter { assignment(for: $0).claim == claim }) }
    }
}
