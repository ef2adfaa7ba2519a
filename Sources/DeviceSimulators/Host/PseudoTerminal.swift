#if canImport(Glibc)
import Glibc
#endif

/// The master side of a Linux pseudo-terminal, in raw mode and non-blocking, whose slave a
/// client opens by path as if it were a serial port.
///
/// Ownership: the instance owns `masterDescriptor` and closes it in `close()`; closing the master
/// is what a client sees as the device being unplugged (its reads fail with EIO).
final class PseudoTerminal {
    /// The master file descriptor; -1 once closed.
    private(set) var masterDescriptor: Int32
    /// The slave's device path, e.g. `/dev/pts/3`.
    let slavePath: String

    /// Opens a new pair and puts the line in raw mode, so the client's CR bytes are not turned
    /// into LF and nothing is echoed.
    ///
    /// Glibc's module does not export posix_openpt/grantpt/unlockpt/ptsname to Swift (they sit
    /// behind feature macros), so this does what they do on Linux: open the multiplexer
    /// `/dev/ptmx`, clear the slave lock (TIOCSPTLCK) and ask for the slave's number (TIOCGPTN).
    /// grantpt has nothing to do on devpts. The request numbers are the kernel's fixed ABI values
    /// of `_IOW('T', 0x31, int)` and `_IOR('T', 0x30, unsigned int)`, which Swift cannot import
    /// because the macros use `sizeof`.
    init() throws(SimulatorHostError) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw SimulatorHostError("open /dev/ptmx") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.setPtyLock, &unlock) == 0, ioctl(master, Self.getPtyNumber, &number) == 0 else {
            let error = SimulatorHostError("unlock pty slave")
            Glibc.close(master)
            throw error
        }
        var settings = termios()
        if tcgetattr(master, &settings) == 0 {
            cfmakeraw(&settings)
            cfsetispeed(&settings, speed_t(B19200))
            cfsetospeed(&settings, speed_t(B19200))
            _ = tcsetattr(master, TCSANOW, &settings)
        }
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
        masterDescriptor = master
        slavePath = "/dev/pts/\(number)"
    }

    /// TIOCSPTLCK on Linux (asm-generic ioctl encoding, used by x86_64 and arm64).
    private static let setPtyLock: UInt = 0x4004_5431
    /// TIOCGPTN on Linux.
    private static let getPtyNumber: UInt = 0x8004_5430

    /// Result of one read from the master.
    enum ReadResult {
        case bytes([UInt8])
        /// Nothing to read right now.
        case empty
        /// No client has the slave open (EIO, or end of file): the host port is closed.
        case clientClosed
    }

    /// Reads what the client wrote, without blocking.
    func read() -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(masterDescriptor, $0.baseAddress, $0.count) }
        if count > 0 { return .bytes(Array(buffer.prefix(count))) }
        if count == 0 { return .clientClosed }
        switch errno {
        case EAGAIN, EINTR: return .empty
        default: return .clientClosed
        }
    }

    /// Writes `bytes` to the client, dropping them when no client has the slave open (a real
    /// device's bytes are lost when the host's port is closed, not kept for the next opener).
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, isClientAttached else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(masterDescriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Whether a client has the slave open: the master reports POLLHUP when none has.
    var isClientAttached: Bool {
        var descriptor = pollfd(fd: masterDescriptor, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) >= 0 && descriptor.revents & Int16(POLLHUP) == 0
    }

    /// Closes the master: the client sees EIO, as on a USB-serial unplug.
    func close() {
        if masterDescriptor >= 0 { Glibc.close(masterDescriptor) }
        masterDescriptor = -1
    }

    deinit {
        if masterDescriptor >= 0 { Glibc.close(masterDescriptor) }
    }
}
