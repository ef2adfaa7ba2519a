import Glibc

/// A pseudo-terminal the benchmark plays a device on: the master stays here, the slave is linked
/// at a path the daemon's configuration names, as a udev symlink would be.
///
/// Ownership: the instance owns the master descriptor and the symlink, and removes both in `close()`.
final class BenchPty: Sendable {
    let master: Int32
    let linkPath: String

    /// Opens `/dev/ptmx`, unlocks the slave (TIOCSPTLCK), puts the line in raw mode and links the
    /// slave (its number from TIOCGPTN) at `linkPath`. Glibc's module hides posix_openpt and
    /// ptsname from Swift, hence the ioctls (Linux asm-generic encodings).
    init(linkPath: String) throws {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
        guard master >= 0 else { throw BenchError("open /dev/ptmx: errno \(errno)") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            Glibc.close(master)
            throw BenchError("unlock pty: errno \(errno)")
        }
        var settings = termios()
        if tcgetattr(master, &settings) == 0 {
            cfmakeraw(&settings)
            _ = tcsetattr(master, TCSANOW, &settings)
        }
        unlink(linkPath)
        guard symlink("/dev/pts/\(number)", linkPath) == 0 else {
            Glibc.close(master)
            throw BenchError("symlink \(linkPath): errno \(errno)")
        }
        self.master = master
        self.linkPath = linkPath
    }

    /// Whether the daemon has the slave open: without a client the master reports POLLHUP.
    var isClientAttached: Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) >= 0 && descriptor.revents & Int16(POLLHUP) == 0
    }

    /// Reads what the daemon wrote, without blocking; empty when there is nothing (or no client).
    func read(into buffer: inout [UInt8]) -> ArraySlice<UInt8> {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
        return count > 0 ? buffer[0..<count] : []
    }

    /// Writes `bytes` in one call (a pty takes a short write whole), dropped without a client.
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
    }

    func close() {
        unlink(linkPath)
        Glibc.close(master)
    }
}

/// A benchmark step that could not be carried out.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
