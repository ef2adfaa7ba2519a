#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a readable pipe, so the host's poll loop can stop cleanly and
/// remove its symlink and socket instead of dying mid-write.
enum StopSignals {
    /// Write end of the pipe; the handler may only call async-signal-safe functions, so it reaches
    /// the pipe through this global. Written once, before the handler is installed.
    nonisolated(unsafe) private static var writeDescriptor: Int32 = -1

    /// Installs the handlers and returns the pipe's read end, which becomes readable on a signal.
    static func install() throws(SimulatorHostError) -> Int32 {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw SimulatorHostError("pipe") }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        writeDescriptor = descriptors[1]
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                var byte: UInt8 = 1
                _ = write(StopSignals.writeDescriptor, &byte, 1)
            }
        }
        // A parent may have spawned us with these signals blocked (posix_spawn passes the
        // spawning thread's mask on); a blocked SIGTERM would never stop the loop.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return descriptors[0]
    }
}
