#if canImport(Glibc)
internal import Glibc
#endif
internal import CShims

/// Accepts clients on the listening Unix socket, on a thread of its own, and hands on each connection's descriptor.
///
/// Why not NIO's server bootstrap: it keeps an accepted socket's descriptor to itself, and the server needs it to
/// give a watcher's lines a channel of their own on another event loop (``SocketServer``), so the loop that reads
/// every client's requests never waits behind the watchers' writes (issue 21: socket command → pump wire p99 under
/// load). Accepting is all this thread does: a `poll` on the socket and a doorbell that stops it.
final class ConnectionAcceptor: Sendable {
    /// Accepted descriptors (non-blocking, close-on-exec), in order; whoever takes one owns it. Finishes at ``stop()``.
    let connections: AsyncStream<Int32>
    private let accepted: AsyncStream<Int32>.Continuation
    private let listening: Int32
    private let stopBell = Doorbell()

    /// Starts accepting on `listening` (a bound, listening socket this acceptor then owns and closes at the stop).
    init(listening: Int32) {
        self.listening = listening
        (connections, accepted) = AsyncStream.makeStream(of: Int32.self)
        RealtimeThread.start(name: "infusiond-accept", priority: nil, lockMemory: false) { [self] _ in
            acceptUntilStopped()
        }
    }

    /// Stops accepting: the thread closes the listening socket and finishes ``connections``; returns at once.
    func stop() {
        stopBell.ring()
    }

    private func acceptUntilStopped() {
        var descriptors = [
            pollfd(fd: listening, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stopBell.descriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if poll(&descriptors, 2, -1) < 0 {
                // Only EINTR or a lack of memory can fail a poll of two open descriptors: neither ends the serving.
                if errno != EINTR { usleep(100_000) }
                continue
            }
            if descriptors[1].revents != 0 { break }
            guard descriptors[0].revents != 0 else { continue }
            // (accept4 is not in Swift's Glibc module.)
            let client = accept(listening, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                if case .terminated = accepted.yield(client) { close(client) }
            } else if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                // Out of descriptors or memory: the waiting client stays queued; try again shortly rather than spin.
                usleep(100_000)
            }
            // EAGAIN (another wake-up took it), ECONNABORTED (the client left first), EINTR: poll again.
        }
        close(listening)
        accepted.finish()
    }
}
