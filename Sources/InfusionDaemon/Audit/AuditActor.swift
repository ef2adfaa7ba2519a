/// Who caused a record: the socket peer's uid (from SO_PEERCRED) and the role it was granted.
package struct AuditActor: Sendable, Hashable {
    /// The peer's Unix user id.
    package var uid: UInt32
    /// The role the daemon granted that uid (for example "clinician", "observer").
    package var role: String

    package init(uid: UInt32, role: String) {
        self.uid = uid
        self.role = role
    }
}
