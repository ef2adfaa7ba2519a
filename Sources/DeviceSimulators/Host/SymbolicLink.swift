#if canImport(Glibc)
import Glibc
#endif

/// The symlink at a stable path (e.g. `/tmp/ttyPUMP`) that points at the current pty slave, so
/// clients and udev-like tests need not know the `/dev/pts/N` number.
enum SymbolicLink {
    /// Points `path` at `target`, replacing an existing symlink atomically (rename over it).
    /// Refuses to replace anything that is not a symlink.
    static func point(_ path: String, at target: String) throws(SimulatorHostError) {
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFLNK {
            throw SimulatorHostError("\(path) exists and is not a symlink", code: EEXIST)
        }
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else { throw SimulatorHostError("symlink \(temporary)") }
        guard rename(temporary, path) == 0 else {
            let error = SimulatorHostError("rename to \(path)")
            unlink(temporary)
            throw error
        }
    }

    /// Removes `path` if it is a symlink.
    static func remove(_ path: String) {
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK { unlink(path) }
    }
}
