import Glibc
package import Logging
internal import Synchronization

/// Bytes in and out of one serial port.
///
/// The link owns the port's descriptor from `open` on. A dedicated reader thread waits in `poll` and
/// reads whatever the port delivers, in the pieces it delivers them, onto `inbound`; the stream
/// finishes when the device is gone (end of file or EIO, as an unplugged USB adapter or a closed
/// pseudo-terminal master shows it) or the link was closed. A readiness report followed by nothing to
/// read (another opener, a flushed queue, a hang-up race) is simply waited out. The link never
/// interprets the bytes, so garbage cannot hurt it; timeouts and retries belong to the drivers.
///
/// Why a thread rather than an event loop: tty descriptors report readiness in ways sockets do not
/// (readable, then EAGAIN; EIO instead of an error event), and one small thread per port is cheap.
package final class SerialLink: Sendable {
    /// Received bytes; finishes when the link is down. Only one consumer may iterate it.
    package let inbound: AsyncStream<[UInt8]>
    /// The device path, for logs.
    package let path: String
    private let descriptor: Int32
    private let stopBell = Doorbell()
    private let open = Atomic<Bool>(true)
    private let readerFinished = Atomic<Bool>(false)
    private let writing = Mutex(())
    /// Taps the traffic when `devices.recordDirectory` is set (LinkRecorder); nil otherwise.
    private let recorder: LinkRecorder?

    private init(descriptor: Int32, path: String, continuation: AsyncStream<[UInt8]>.Continuation,
                 inbound: AsyncStream<[UInt8]>) {
        self.descriptor = descriptor
        self.path = path
        self.inbound = inbound
        recorder = LinkRecorder.forLink(path: path)
    }

    /// Opens `path` with `settings` (see `SerialPort.open`) and starts reading.
    package static func open(
        path: String, settings: SerialLineSettings, logger: Logger
    ) async throws(SerialPortError) -> SerialLink {
        let descriptor = try SerialPort.open(path: path, settings: settings, logger: logger)
        let (inbound, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(1024))
        let link = SerialLink(descriptor: descriptor, path: path, continuation: continuation, inbound: inbound)
        RealtimeThread.start(name: "infusiond-tty", priority: SafetyPathScheduling.priority, lockMemory: false) { _ in
            link.readUntilDown(continuation)
        }
        logger.debug("serial link open", metadata: ["path": "\(path)", "line": "\(settings)"])
        return link
    }

    /// Whether the link is still up.
    package var isActive: Bool { open.load(ordering: .acquiring) }

    /// Writes `bytes` completely. Throws when the link is down or the port stays unwritable for 2 s.
    package func write(_ bytes: [UInt8]) async throws(SerialLinkDown) {
        let failure: String? = writing.withLock { _ in
            var offset = 0
            var waited = 0
            while offset < bytes.count {
                guard isActive else { return "link closed" }
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written > 0 {
                    offset += written
                    continue
                }
                let code = errno
                guard written < 0, code == EAGAIN || code == EINTR, waited < 20 else {
                    return written == 0 ? "nothing written" : String(cString: strerror(code))
                }
                var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, 100)
                waited += 1
            }
            return nil
        }
        if let failure { throw SerialLinkDown(path: path, reason: failure) }
        recorder?.sent(bytes)
    }

    /// Closes the port; `inbound` finishes. Safe to call more than once.
    package func close() async {
        open.store(false, ordering: .releasing)
        stopBell.ring()
        for _ in 0..<200 where !readerFinished.load(ordering: .acquiring) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The reader thread's loop. It alone closes the descriptor, so no read races a close.
    private func readUntilDown(_ continuation: AsyncStream<[UInt8]>.Continuation) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        reading: while isActive {
            var pollers = [
                pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopBell.descriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&pollers, 2, 1000)
            if ready < 0, errno != EINTR { break }
            if pollers[1].revents != 0 || !isActive { break }
            guard pollers[0].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            switch count {
            case 1...:
                recorder?.received(Array(buffer[..<count]))
                continuation.yield(Array(buffer[..<count]))
            case 0: break reading  // end of file: a hung-up tty
            default:
                if errno == EAGAIN || errno == EINTR { continue }
                break reading  // EIO and friends: the device vanished
            }
        }
        open.store(false, ordering: .releasing)
        Glibc.close(descriptor)
        continuation.finish()
        readerFinished.store(true, ordering: .releasing)
    }
}

/// The serial link is down: the device is gone or the link was closed.
package struct SerialLinkDown: Error, Hashable, Sendable {
    package var path: String
    package var reason: String
}
