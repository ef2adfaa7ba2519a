#if canImport(Glibc)
internal import Glibc
#endif
internal import CShims

/// Who is at the other end of a client connection, from the kernel (SO_PEERCRED), not from the
/// client's say-so.
package struct PeerCredentials: Sendable, Hashable {
    package var pid: Int32
    package var uid: UInt32
    package var gid: UInt32

    package init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The user's name and every group the user belongs to (primary, supplementary, and the
    /// connection's gid), looked up in the system's user database.
    package func lookUpIdentity() -> (userName: String?, groupIDs: Set<UInt32>) {
        var groups: Set<UInt32> = [gid]
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &record, &buffer, buffer.count, &result) == 0, result != nil, let name = record.pw_name
        else {
            return (nil, groups)
        }
        let userName = String(cString: name)
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, record.pw_gid, &list, &count) == -1 {
            list = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, record.pw_gid, &list, &count)
        }
        groups.formUnion(list.prefix(Int(max(count, 0))))
        return (userName, groups)
    }
}

/// The numeric id of a group name, or nil when no such group exists.
package func groupID(named name: String) -> UInt32? {
    var record = group()
    var result: UnsafeMutablePointer<group>? = nil
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getgrnam_r(name, &record, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
    return record.gr_gid
}
