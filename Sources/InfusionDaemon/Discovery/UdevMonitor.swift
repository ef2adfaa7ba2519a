import CUdev
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Hotplug add/remove events for tty devices, read on a dedicated thread.
///
/// `start` creates the libudev context and monitor on the caller's thread, then hands both to a
/// reader thread, which alone touches them from then on and frees them when it stops; libudev
/// objects are not thread-safe. Events arrive in `events` in kernel order; `change`, `bind` and
/// other actions are dropped. The stream finishes after `stop()`, or when the consumer stops
/// iterating.
package final class UdevMonitor: Sendable {
    /// Which netlink group to listen to.
    package enum Source: String, Sendable {
        /// Events after udevd processed them, with ID_* properties and site rule properties.
        case udev
        /// Raw kernel uevents: work without udevd (containers), but carry no udev properties;
        /// vendor, model and serial then come from USB parent attributes.
        case kernel

        /// `udev` when udevd runs (its control socket exists), otherwise `kernel`: a `udev`
        /// monitor opens fine without udevd but never delivers anything.
        package static var automatic: Source {
            access("/run/udev/control", F_OK) == 0 ? .udev : .kernel
        }
    }

    /// Device events, in arrival order.
    package let events: AsyncStream<DeviceEvent>
    /// The netlink group in use.
    package let source: Source
    /// Write end of the wake-up pipe; nil once stopped.
    private let wakeWriter: Mutex<Int32?>

    private init(events: AsyncStream<DeviceEvent>, source: Source, wakeWriter: Int32) {
        self.events = events
        self.source = source
        self.wakeWriter = Mutex(wakeWriter)
    }

    /// Starts listening for tty events from `source`. Once this returns, every later event is
    /// delivered (the socket is bound before the reader thread starts).
    package static func start(source: Source = .automatic) throws(UdevError) -> UdevMonitor {
        guard let udev = udev_new() else { throw UdevError(operation: "udev_new", errno: errno) }
        guard let monitor = udev_monitor_new_from_netlink(udev, source.rawValue) else {
            let code = errno
            udev_unref(udev)
            throw UdevError(operation: "udev_monitor_new_from_netlink(\(source.rawValue))", errno: code)
        }
        var status = udev_monitor_filter_add_match_subsystem_devtype(monitor, "tty", nil)
        if status >= 0 { status = udev_monitor_enable_receiving(monitor) }
        var pipeEnds: [Int32] = [-1, -1]
        if status >= 0, pipe(&pipeEnds) != 0 { status = -errno }
        for end in pipeEnds where end >= 0 { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        guard status >= 0 else {
            udev_monitor_unref(monitor)
            udev_unref(udev)
            throw UdevError(operation: "udev monitor setup", errno: -status)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: DeviceEvent.self, bufferingPolicy: .unbounded)
        let reader = MonitorReader(udev: udev, monitor: monitor, wakeReader: pipeEnds[0], continuation: continuation)
        let result = UdevMonitor(events: stream, source: source, wakeWriter: pipeEnds[1])
        continuation.onTermination = { [weak result] _ in result?.stop() }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(reader).toOpaque()
        let created = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<MonitorReader>.fromOpaque(argument).takeRetainedValue().run()
            return nil
        }, box)
        guard created == 0 else {
            // The reader never ran: free what it would have freed.
            Unmanaged<MonitorReader>.fromOpaque(box).release()
            udev_monitor_unref(monitor)
            udev_unref(udev)
            close(pipeEnds[0])
            continuation.finish()
            result.stop()
            throw UdevError(operation: "pthread_create", errno: created)
        }
        pthread_detach(thread)
        return result
    }

    /// Stops the reader thread, which frees the libudev objects and finishes `events`. Idempotent.
    package func stop() {
        guard let writer = wakeWriter.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        var byte: UInt8 = 1
        _ = write(writer, &byte, 1)
        close(writer)
    }

    deinit { stop() }
}

/// The reader thread's state: owns the libudev pointers from hand-over until `run` returns.
private final class MonitorReader {
    private let udev: OpaquePointer
    private let monitor: OpaquePointer
    private let wakeReader: Int32
    private let continuation: AsyncStream<DeviceEvent>.Continuation

    init(udev: OpaquePointer, monitor: OpaquePointer, wakeReader: Int32, continuation: AsyncStream<DeviceEvent>.Continuation) {
        self.udev = udev
        self.monitor = monitor
        self.wakeReader = wakeReader
        self.continuation = continuation
    }

    /// Polls the monitor socket and the wake-up pipe until `stop()` writes or closes the pipe.
    func run() {
        defer {
            continuation.finish()
            close(wakeReader)
            udev_monitor_unref(monitor)
            udev_unref(udev)
        }
        var fds = [
            pollfd(fd: udev_monitor_get_fd(monitor), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 { receive() }
            if fds[0].revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
        }
    }

    private func receive() {
        guard let device = udev_monitor_receive_device(monitor) else { return }
        defer { udev_device_unref(device) }
        guard let name = udev_device_get_action(device),
            let action = DeviceEvent.Action(rawValue: String(cString: name)),
            let identity = DeviceIdentity(udevDevice: device)
        else { return }
        continuation.yield(DeviceEvent(action: action, identity: identity))
    }
}
