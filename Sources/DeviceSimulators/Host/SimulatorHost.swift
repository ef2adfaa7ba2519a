#if canImport(Glibc)
import Glibc
#endif
import InfusionCore

/// Runs a `ControllableDevice` behind a real pseudo-terminal: a client opens the symlink at
/// `linkPath` as if it were a serial port; bytes it writes reach the device with the current
/// simulated time, and whatever the device says goes back. A Unix socket at `controlPath` takes
/// control lines (fault switches, disconnect/reconnect, shutdown) while it runs.
///
/// When the client closes the port the master reads EIO; the host treats that as "port closed",
/// drops the device's output as a real serial line would, and waits for the next open.
///
/// Threading: `run()` blocks the calling thread until `shutdown` arrives on the control socket
/// or the process gets SIGINT/SIGTERM; the instance is not meant to be shared between threads.
public final class SimulatorHost<Device: ControllableDevice> {
    private var device: Device
    private let options: SimulatorHostOptions
    private let clock: SimulatorClock
    private var terminal: PseudoTerminal?
    private let control: ControlServer
    private var stopRequested = false

    /// Creates the pty, links it at `options.linkPath` and opens the control socket.
    public init(device: Device, options: SimulatorHostOptions) throws(SimulatorHostError) {
        self.device = device
        self.options = options
        clock = SimulatorClock(timeScale: options.timeScale)
        control = try ControlServer(path: options.controlPath)
        try connect()
    }

    /// The current pty slave, nil while disconnected.
    public var slavePath: String? { terminal?.slavePath }

    /// Serves until `shutdown` or SIGINT/SIGTERM, then removes the symlink and the socket.
    public func run() throws(SimulatorHostError) {
        let stopDescriptor = try StopSignals.install()
        defer {
            Glibc.close(stopDescriptor)
            SymbolicLink.remove(options.linkPath)
            terminal?.close()
            control.close()
        }
        let tickMilliseconds = Int32(max(1, options.tick.nanosecondsClamped / 1_000_000))
        while !stopRequested {
            terminal?.write(device.advance(to: clock.now()))
            let master = terminal.flatMap { $0.isClientAttached ? $0.masterDescriptor : nil }
            var descriptors = ([stopDescriptor] + control.descriptors + (master.map { [$0] } ?? []))
                .map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), tickMilliseconds) >= 0 || errno == EINTR else {
                throw SimulatorHostError("poll")
            }
            if descriptors[0].revents != 0 { stopRequested = true }
            if let terminal, let last = descriptors.last, last.fd == master, last.revents & Int16(POLLIN) != 0 {
                if case .bytes(let bytes) = terminal.read() {
                    terminal.write(device.receive(bytes, at: clock.now()))
                }
            }
            if descriptors.dropFirst().contains(where: { $0.fd != master && $0.revents != 0 }) {
                control.service { handleControl($0) }
            }
        }
    }

    /// Answers one control line: link-level words here, everything else to the device.
    private func handleControl(_ line: String) -> String {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        switch words.map(String.init) {
        case []: return "error empty line"
        case ["help"]:
            return "ok fault <name> on|off, faults, state, power-cycle, disconnect, reconnect, shutdown"
        case ["disconnect"], ["fault", "disconnect", "on"]:
            disconnect()
            return "ok"
        case ["reconnect"], ["fault", "disconnect", "off"]:
            do {
                try connect()
                return "ok " + (terminal?.slavePath ?? "")
            } catch {
                return "error \(error)"
            }
        case ["shutdown"]:
            stopRequested = true
            return "ok"
        case ["faults"] where terminal == nil:
            let answer = device.control(words, at: clock.now())
            return answer == "ok none" ? "ok disconnect" : answer + " disconnect"
        default:
            return device.control(words, at: clock.now())
        }
    }

    /// Opens a fresh pty and points the symlink at it (no-op while connected).
    private func connect() throws(SimulatorHostError) {
        guard terminal == nil else { return }
        let opened = try PseudoTerminal()
        try SymbolicLink.point(options.linkPath, at: opened.slavePath)
        terminal = opened
    }

    /// Closes the pty and removes the symlink: the client's reads fail with EIO and a reopen
    /// finds nothing, as when a USB-serial adapter is pulled.
    private func disconnect() {
        terminal?.close()
        terminal = nil
        SymbolicLink.remove(options.linkPath)
    }
}

/// How a `SimulatorHost` is set up.
public struct SimulatorHostOptions: Sendable {
    /// Where the symlink to the pty slave goes, e.g. `/tmp/ttyPUMP`.
    public var linkPath: String
    /// Where the control socket goes; default `<linkPath>.control`.
    public var controlPath: String
    /// Simulated seconds per real second.
    public var timeScale: Double
    /// Longest real wait between two `advance` calls.
    public var tick: Duration

    public init(linkPath: String, controlPath: String? = nil, timeScale: Double = 1, tick: Duration = .milliseconds(10)) {
        self.linkPath = linkPath
        self.controlPath = controlPath ?? linkPath + ".control"
        self.timeScale = timeScale
        self.tick = tick
    }
}
