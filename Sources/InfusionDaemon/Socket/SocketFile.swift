#if canImport(Glibc)
package import Glibc
#endif

/// The socket file's life on disk: a stale file from a crash is replaced, a live daemon's socket is
/// never stolen, and on exit only our own file is removed.
package enum SocketFile {
    /// Why the socket path cannot be used.
    package struct Conflict: Error, CustomStringConvertible {
        package var description: String
    }

    /// Makes `path` free for `bind`: creates the parent directory when missing, removes a socket
    /// file nobody listens on, and refuses a socket someone answers on or a file that is no socket.
    package static func prepare(path: String) throws {
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !parent.isEmpty, access(parent, F_OK) != 0, mkdir(parent, 0o755) != 0, errno != EEXIST {
            throw Conflict(description: "cannot create directory \(parent): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFSOCK else {
            throw Conflict(description: "\(path) exists and is not a socket; refusing to replace it")
        }
        switch probe(path: path) {
        case .live:
            throw Conflict(description: "another infusiond is serving on \(path); refusing to take its socket")
        case .stale:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw Conflict(description: "cannot remove stale socket \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The inode of the file at `path`, so that shutdown removes only the file this process made.
    package static func inode(path: String) -> UInt64? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return UInt64(status.st_ino)
    }

    /// Removes `path` if it is still the file with `inode`.
    package static func remove(path: String, ifInode inode: UInt64?) {
        guard let inode, self.inode(path: path) == inode else { return }
        unlink(path)
    }

    /// Where the socket is bound before it is published at `path`: same directory, so `publish`
    /// stays within one file system.
    package static func unpublishedPath(for path: String) -> String { path + ".new" }

    /// Makes the socket at `unpublished` appear at `path` in one step, never replacing a file another
    /// process put there meanwhile (`link` fails with EEXIST where `rename` would overwrite).
    package static func publish(_ unpublished: String, at path: String) throws {
        guard link(unpublished, path) == 0 else {
            throw Conflict(description: "cannot publish the socket at \(path): \(String(cString: strerror(errno)))")
        }
        unlink(unpublished)
    }

    /// Sets the socket's permission bits and, when given, its group.
    package static func applyPermissions(path: String, mode: UInt32, groupID: UInt32?) throws {
        if let groupID, chown(path, uid_t.max, groupID) != 0 {
            throw Conflict(description: "cannot give \(path) to group \(groupID): \(String(cString: strerror(errno)))")
        }
        if chmod(path, mode_t(mode)) != 0 {
            throw Conflict(description: "cannot set mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    private enum Liveness { case live, stale }

    /// A stream socket bound at `path` (which `prepare` made free) and listening with room for `backlog` waiting
    /// clients; non-blocking and close-on-exec.
    /// - Throws: ``Conflict`` naming the call that failed.
    package static func listen(at path: String, backlog: Int32) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Conflict(description: "socket: \(String(cString: strerror(errno)))") }
        let bound = withAddress(of: path) { bind(fd, $0, $1) }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Conflict(description: "cannot listen on \(path): \(reason)")
        }
        return fd
    }

    /// Calls `body` with the `sockaddr_un` for `path` (cut to what `sun_path` holds) and its length,
    /// as `bind` and `connect` take them.
    package static func withAddress<Result>(
        of path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8.prefix(capacity - 1))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// Connects to the socket: refused means nobody listens (a crash left it behind).
    private static func probe(path: String) -> Liveness {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .live }
        defer { close(fd) }
        let result = withAddress(of: path) { connect(fd, $0, $1) }
        if result == 0 { return .live }
        return errno == ECONNREFUSED || errno == ENOENT ? .stale : .live
    }
}
