import Glibc
package import Logging
internal import Synchronization

/// Bytes in and out of one serial port.
///
/// The link owns the port's descriptor from `open` on. A dedicated reader thread waits in `poll` and
/// reads whatever the port delivers, in the pieces it delivers them: onto `inbound` (pumps, whose
/// exchanges await replies), or, when opened with a `SerialLinkReceiver` (monitors), straight to the
/// receiver on the reader thread, so a reading reaches its consumers without a hop through the
/// cooperative pool. Either way `inbound` finishes when the device is gone (end of file or EIO, as an
/// unplugged USB adapter or a closed pseudo-terminal master shows it) or the link was closed, after the
/// last chunk was handed over. A readiness report followed by nothing to
/// read (another opener, a flushed queue, a hang-up race) is simply waited out. The link never
/// interprets the bytes, so garbage cannot hurt it; timeouts and retries belong to the drivers.
///
/// Why a thread rather than an event loop: tty descriptors report readiness in ways sockets do not
/// (readable, then EAGAIN; EIO instead of an error event), and one small thread per port is cheap.
package final class SerialLink: Sendable {
    /// Received bytes; finishes when the link is down. Only one consumer may iterate it. With a receiver
    /// it carries no bytes and only says, by finishing, that the link is down.
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

    private init(descriptor: Int32, path: String, inbound: AsyncStream<[UInt8]>) {
        self.descriptor = descriptor
        self.path = path
        self.inbound = inbound
        recorder = LinkRecorder.forLink(path: path)
    }

    /// Opens `path` with `settings` (see `SerialPort.open`) and starts reading: onto `inbound`, or, with
    /// a `receiver`, to it on the reader thread (`inbound` then only finishes when the link is down).
    package static func open(
        path: String, settings: SerialLineSettings, logger: Logger, receiver: SerialLinkReceiver? = nil
    ) async throws(SerialPortError) -> SerialLink {
        let descriptor = try SerialPort.open(path: path, settings: settings, logger: logger)
        let (inbound, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(1024))
        let link = SerialLink(descriptor: descriptor, path: path, inbound: inbound)
        RealtimeThread.start(name: "infusiond-tty", priority: SafetyPathScheduling.readerPriority, lockMemory: false) { _ in
            receiver?.start(link)
            link.readUntilDown(continuation, receiver: receiver)
        }
        logger.debug("serial link open", metadata: ["path": "\(path)", "line": "\(settings)"])
        return link
    }

    /// Whether the link is still up.
    package var isActive: Bool { open.load(ordering: .acquiring) }

    /// Writes `bytes` completely. Throws when the link is down or the port stays unwritable for 2 s.
    package func write(_ bytes: [UInt8]) async throws(SerialLinkDown) {
        try writeNow(bytes)
    }

    /// Writes `bytes` completely on the calling thread, one writer at a time: `write` for callers that
    /// are not in an async context (a `SerialLinkReceiver` answering from the reader thread). Blocks for at
    /// most 2 s while the port stays unwritable, then throws; throws at once when the link is down.
    package func writeNow(_ bytes: [UInt8]) throws(SerialLinkDown) {
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
    private func readUntilDown(_ continuation: AsyncStream<[UInt8]>.Continuation, receiver: SerialLinkReceiver?) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pollers = [pollfd](repeating: pollfd(), count: 2)
        reading: while isActive {
            pollers[0] = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            pollers[1] = pollfd(fd: stopBell.descriptor, events: Int16(POLLIN), revents: 0)
            // No timeout: `close()` rings the stop bell, so an idle port costs no wake-ups (a chair's monitor is
            // silent for hours between patients).
            let ready = poll(&pollers, 2, -1)
            if ready < 0, errno != EINTR { break }
            if pollers[1].revents != 0 || !isActive { break }
            guard pollers[0].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            switch count {
            case 1...:
                let chunk = Array(buffer[..<count])
                recorder?.received(chunk)
                if let receiver { receiver.receive(chunk) } else { continuation.yield(chunk) }
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

/// Handles one link's traffic on the link's reader thread, in place of `SerialLink.inbound`: for
/// consumers that must not wait for the cooperative pool (monitor readings on their way to the
/// interlock).
///
/// Both run on the reader thread, one call at a time: `start` once, before the first read, with the
/// link (to send a greeting with `writeNow`); then `receive` with every chunk read, in order. They must
/// not block for long (the port is not read meanwhile) and must not call `close()` (which waits for the
/// reader thread).
package struct SerialLinkReceiver: Sendable {
    package var start: @Sendable (SerialLink) -> Void
    package var receive: @Sendable ([UInt8]) -> Void

    package init(start: @escaping @Sendable (SerialLink) -> Void, receive: @escaping @Sendable ([UInt8]) -> Void) {
        self.start = start
        self.receive = receive
    }
}

/// The serial link is down: the device is gone or the link was closed.
package struct SerialLinkDown: Error, Hashable, Sendable {
    package var path: String
    package var reason: String
}
