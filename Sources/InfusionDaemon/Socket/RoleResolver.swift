package import WireProtocol

/// Decides a connection's role from its peer credentials and the access settings.
package struct RoleResolver: Sendable {
    private let access: AccessSettings
    private let daemonUID: UInt32

    package init(access: AccessSettings, daemonUID: UInt32) {
        self.access = access
        self.daemonUID = daemonUID
    }

    /// The role for `peer`: root and the daemon's own user are admin; then the admin list, then the
    /// operator list, then the orderer list, then the configured default.
    package func role(for peer: PeerCredentials) -> Role {
        if peer.uid == 0 || peer.uid == daemonUID { return .admin }
        let identity = peer.lookUpIdentity()
        if matches(access.admin, peer: peer, identity: identity) { return .admin }
        if matches(access.operator, peer: peer, identity: identity) { return .operator }
        if matches(access.orderer, peer: peer, identity: identity) { return .orderer }
        return access.defaultRole
    }

    private func matches(
        _ principals: Principals, peer: PeerCredentials, identity: (userName: String?, groupIDs: Set<UInt32>)
    ) -> Bool {
        if principals.uids.contains(peer.uid) { return true }
        if let name = identity.userName, principals.users.contains(name) { return true }
        if !identity.groupIDs.isDisjoint(with: principals.gids) { return true }
        return principals.groups.contains { name in
            groupID(named: name).map(identity.groupIDs.contains) ?? false
        }
    }
}
