#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// Disk space set aside for the audit log on its own file system: a preallocated file beside the store that the
/// writer gives back when the disk fills (docs/AUDIT.md, "The reserve").
///
/// The reserve is released in two steps. When a commit first fails for lack of space, the first half is given
/// back and the commit retried at once: records stay durable (a crash loses none) while the disk is full and
/// somebody frees space. The second half is kept for the stop: records still held when the daemon is told to
/// stop are written into it, so a stop never drops what a full disk held. Once space returns, the reserve is
/// allocated again whole.
///
/// Only the audit writer's task calls the mutating methods; the lock makes ``stage`` readable from anywhere.
package final class AuditReserve: Sendable {
    /// How much of the reserve is still set aside.
    package enum Stage: Sendable, Equatable {
        /// All of it: the disk has not filled since it was allocated.
        case whole
        /// The first half was given back to the store; the second waits for the stop.
        case halfReleased
        /// All of it was given back (at a stop), or it could not be allocated.
        case released
    }

    /// The file holding the reserve.
    package let path: String
    /// The reserve's full size.
    package let bytes: Int
    private let current = Mutex(Stage.released)

    /// A reserve of `bytes` at `path`; nothing is allocated until ``allocate()``.
    package init(path: String, bytes: Int) {
        self.path = path
        self.bytes = max(0, bytes)
    }

    /// How much of the reserve is set aside now.
    package var stage: Stage { current.withLock { $0 } }

    /// Sets the whole reserve aside (again). Returns whether it now is; on a disk without room for all of it the
    /// file keeps the size it had, so a failed attempt takes nothing from the store.
    @discardableResult
    package func allocate() -> Bool {
        guard bytes > 0 else { return false }
        if stage == .whole { return true }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        let previousSize = fstat(descriptor, &status) == 0 ? status.st_size : 0
        guard posix_fallocate(descriptor, 0, off_t(bytes)) == 0, fsync(descriptor) == 0 else {
            // Some file systems keep what a failed call allocated: give it back. What an earlier run left in
            // the file (half, after a full disk) stays set aside for the stop.
            _ = ftruncate(descriptor, previousSize)
            if previousSize == 0 { unlink(path) }
            current.withLock { $0 = previousSize > 0 ? .halfReleased : .released }
            return false
        }
        current.withLock { $0 = .whole }
        return true
    }

    /// Whether space has returned: the disk could take the part of the reserve given back and still keep as much
    /// free again beside it. Right after the first half was given back the disk has only that half free, so the
    /// reserve is not taken back at once (which would fill the disk again and give it back on the next commit).
    package var spaceHasReturned: Bool {
        var fileStatus = stat()
        let setAside = stat(path, &fileStatus) == 0 ? Int(fileStatus.st_size) : 0
        let missing = max(0, bytes - setAside)
        var system = statvfs()
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        guard statvfs(directory, &system) == 0 else { return false }
        let free = Int(system.f_bavail) * Int(system.f_frsize)
        return free >= 2 * missing
    }

    /// Gives the first half back to the file system. Returns false when there was no first half to give
    /// (already given, or no reserve).
    package func releaseFirstHalf() -> Bool {
        guard stage == .whole else { return false }
        guard truncate(path, off_t(bytes / 2)) == 0 else { return false }
        current.withLock { $0 = .halfReleased }
        return true
    }

    /// Gives back all that is left, for the records still held at a stop. Returns false when nothing was left.
    package func releaseAll() -> Bool {
        guard stage != .released else { return false }
        guard unlink(path) == 0 || errno == ENOENT else { return false }
        current.withLock { $0 = .released }
        return true
    }
}
