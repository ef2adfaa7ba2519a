#if canImport(Glibc)
internal import Glibc
#endif
internal import CShims

/// Wakes a waiting thread from any other thread: an eventfd. Ringing is one `write`, with no lock
/// and no allocation, so the control thread may ring one; waiting is `ppoll` with an absolute
/// monotonic deadline, so a sleeping thread wakes at its tick or at the first ring, whichever is first.
package final class Doorbell: Sendable {
    private let fd: Int32

    /// The eventfd, for callers that wait on it together with other descriptors in one `poll`.
    package var descriptor: Int32 { fd }

    package init() {
        fd = cshim_eventfd_create()
        precondition(fd >= 0, "eventfd: the kernel refused a doorbell (errno \(errno))")
    }

    deinit { close(fd) }

    /// Wakes the waiter (or makes its next wait return at once).
    package func ring() {
        _ = cshim_eventfd_ring(fd)
    }

    /// Waits until rung or until the monotonic clock reaches `deadline`; clears the doorbell.
    /// Returns true when it was rung.
    @discardableResult
    package func wait(until deadlineNanoseconds: Int64) -> Bool {
        let rung = cshim_eventfd_wait_until(fd, deadlineNanoseconds) == 1
        if rung { _ = cshim_eventfd_drain(fd) }
        return rung
    }

    /// Waits until rung; clears the doorbell.
    package func wait() {
        _ = cshim_eventfd_wait(fd)
        _ = cshim_eventfd_drain(fd)
    }
}
