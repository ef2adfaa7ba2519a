/// What a connected client may do. Derived from the peer's credentials (SO_PEERCRED) and the
/// configured uid/group mapping; each role includes the rights of the ones below it.
public enum Role: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// Read state and watch topics.
    case viewer
    /// Also stage an order from the clinic's order system on a chair (`order`), and nothing else: it can never
    /// program, start or change an infusion (the HL7 bridge's role, docs/INTEGRATION.md "Inbound orders").
    case orderer
    /// Also control infusions: program, titrate, pause, acknowledge alarms.
    case `operator`
    /// Also change configuration and send clinic-wide notices.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .orderer: 1
        case .operator: 2
        case .admin: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether a client with this role may run a command that needs `required`.
    public func permits(_ required: Role) -> Bool { self >= required }
}
