import DeviceSimulators
import Glibc
import InfusionCore
import Synchronization

@testable import InfusionDaemon

/// The monotonic clock the drivers and the simulators share in these tests: the daemon's own.
let monotonicNow = DeviceDriverFactory.monotonicNow

/// A pure simulator model behind a real pseudo-terminal: the test opens `devicePath` (a symlink to the
/// slave) with the driver under test, while a background task feeds the model what arrives on the master,
/// with the current time, writes its answers back and advances it every couple of milliseconds.
///
/// The driver gets a symlink, never the `/dev/pts/N` name itself, and `disconnect` removes it, as udev
/// removes an unplugged adapter's node: a driver that keeps reopening its path after an unplug must not
/// find the same pts number reused by another test's device and read that test's replies.
final class PtySimulatorHost<Device: ControllableDevice>: Sendable {
    let devicePath: String
    private let state: Mutex<HostState>
    private let pump: Mutex<Task<Void, Never>?> = Mutex(nil)

    private struct HostState: ~Copyable {
        var device: Device
        var master: CInt
        var running = true
    }

    /// Opens a pty pair in raw mode and starts serving `device` on it.
    init(_ device: Device) throws {
        var master: CInt = -1
        var slave: CInt = -1
        var raw = termios()
        cfmakeraw(&raw)
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&master, &slave, &name, &raw, nil) == 0 else { throw HostError(errno: errno) }
        // The node stays while the master is open; the driver opens it through the symlink.
        close(slave)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var template = Array("/tmp/pty-host-XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template) else {
            close(master)
            throw HostError(errno: errno)
        }
        devicePath = String(cString: directory) + "/tty"
        guard symlink(slavePath, devicePath) == 0 else {
            close(master)
            throw HostError(errno: errno)
        }
        state = Mutex(HostState(device: device, master: master))
        let task = Task.detached { [self] in await serve() }
        pump.withLock { $0 = task }
    }

    struct HostError: Error { var errno: Int32 }

    /// Sends a control-channel line to the device (fault switches, `state`) and returns its answer.
    @discardableResult
    func control(_ line: String) -> String {
        state.withLock { $0.device.control(line.split(separator: " "), at: monotonicNow()) }
    }

    /// The value of `key` in the device's `state` line.
    func stateValue(_ key: String) -> String? {
        let line = control("state")
        for pair in line.split(separator: " ") where pair.hasPrefix(key + "=") {
            return String(pair.dropFirst(key.count + 1))
        }
        return nil
    }

    /// Unplugs the device: closes the master and removes the symlink, as the simulator host's
    /// `disconnect` does.
    func disconnect() {
        state.withLock { state in
            if state.master >= 0 { close(state.master) }
            state.master = -1
        }
        unlink(devicePath)
        rmdir(String(devicePath.dropLast("/tty".count)))
    }

    /// Stops serving and closes the master.
    func shutdown() async {
        state.withLock { $0.running = false }
        let task = pump.withLock { $0 }
        await task?.value
        disconnect()
    }

    private func serve() async {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let keepGoing = state.withLock { state -> Bool in
                guard state.running else { return false }
                guard state.master >= 0 else { return true }
                let count = buffer.withUnsafeMutableBytes { read(state.master, $0.baseAddress, $0.count) }
                let now = monotonicNow()
                var output: [UInt8] = []
                if count > 0 { output += state.device.receive(Array(buffer[0..<count]), at: now) }
                output += state.device.advance(to: now)
                Self.writeAll(output, to: state.master)
                return true
            }
            guard keepGoing else { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Writes everything; a closed slave (EIO) just loses the bytes, as a real line would.
    private static func writeAll(_ bytes: [UInt8], to descriptor: CInt) {
        var offset = 0
        var attempts = 0
        while offset < bytes.count, attempts < 1000 {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if errno == EAGAIN || errno == EINTR {
                attempts += 1
                usleep(200)
            } else {
                return
            }
        }
    }
}
