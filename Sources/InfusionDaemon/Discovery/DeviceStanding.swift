/// Where one present device stands with the chairs.
package enum DeviceStanding: Sendable, Hashable {
    /// No chair claims it: listed, never opened.
    case unbound
    /// Driven for this chair role (a udev match that adopted it).
    case driven(ChairRole)
    /// Its path is a chair's fixed path: that chair's reopen loop drives it, not discovery.
    case fixedPath(ChairRole)
    /// A chair role matches it but does not take it: another adapter is remembered or present, or
    /// the site rule names another driver. Listed with the reason; `adopt` may accept it.
    case refused(ChairRole, reason: String)
    /// Several chair roles match it (a configuration or site-rule error): driven by none.
    case conflicting([ChairRole], reason: String)

    /// The chair role it is bound or refused for, if exactly one.
    package var chairRole: ChairRole? {
        switch self {
        case .driven(let slot), .fixedPath(let slot), .refused(let slot, _): slot
        case .unbound, .conflicting: nil
        }
    }
}

/// What the supervisor must do after the registry took in an event or an `adopt`.
package enum DiscoveryDecision: Sendable, Hashable {
    /// Open `identity` for the chair role (a first plug-in, a replug of the remembered adapter, or
    /// an adopted one).
    case drive(ChairRole, DeviceIdentity)
    /// The driven device of the chair role is gone: close it; the link goes down.
    case withdraw(ChairRole, DeviceIdentity)
    /// A device was not taken (refused or conflicting): tell people.
    case refuse(DeviceIdentity, DeviceStanding)
}
