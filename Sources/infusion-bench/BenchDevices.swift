import DeviceProtocols
import DeviceSimulators
import Glibc
import InfusionCore
import InfusionDaemon
import Synchronization

/// Every chair's devices, played by the benchmark itself on ptys so that both ends of each
/// measurement are stamped by one process on one clock: an NE-1000 simulator per pump (the
/// project's own `NewEraPumpSimulator`) and a Masimo Rad-5 line (1 Hz, SpO2 and pulse) per monitor.
///
/// One device thread (SCHED_FIFO when permitted, so its stamps do not wait behind the load)
/// polls the pump ptys; each read is stamped when poll returns, before anything else is done, and
/// the state-changing commands in it (`RAT` with a value, `STP`, `RUN`) go to `wireLog`.
/// Threading: `start()` once; monitors' lines may be sent from any thread (a pty write is atomic).
final class BenchDevices: @unchecked Sendable {
    let pumpPaths: [String]
    let monitorPaths: [String]
    let wireLog = PumpWireLog()
    private let pumps: [BenchPty]
    private let monitors: [BenchPty]
    private var simulators: [NewEraPumpSimulator]
    private var decoders: [NewEraCommandDecoder]
    private let pulseRates: Mutex<[Int]>
    private let encoder = MasimoLineEncoder(layout: .rad5)
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    /// Normal vitals: SpO2 97 %, pulse 76 /min, PI 3.1 %.
    static let normalPulse = 76

    init(chairs: Int, directory: String) throws {
        pumpPaths = (1...chairs).map { "\(directory)/pump\($0)" }
        monitorPaths = (1...chairs).map { "\(directory)/monitor\($0)" }
        pumps = try pumpPaths.map(BenchPty.init(linkPath:))
        monitors = try monitorPaths.map(BenchPty.init(linkPath:))
        simulators = Array(repeating: NewEraPumpSimulator(), count: chairs)
        decoders = Array(repeating: NewEraCommandDecoder(), count: chairs)
        pulseRates = Mutex(Array(repeating: Self.normalPulse, count: chairs))
    }

    /// Starts the device thread at SCHED_FIFO `priority` when permitted.
    func start(priority: Int32?) {
        running.store(true, ordering: .releasing)
        RealtimeThread.start(name: "bench-devices", priority: priority, lockMemory: false) { _ in self.serve() }
    }

    /// Stops the device thread and removes the ptys.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        while running.load(ordering: .acquiring) { usleep(1000) }
        for pty in pumps + monitors { pty.close() }
    }

    /// Sets chair `chair`'s pulse rate (0-based index) and sends a line at once; returns the instant
    /// just before the write. Later 1 Hz lines keep the value.
    @discardableResult
    func sendVitals(chair: Int, pulse: Int) -> Int64 {
        pulseRates.withLock { $0[chair] = pulse }
        let line = vitalsLine(chair: chair, at: BenchClock.now())
        let stamp = BenchClock.now()
        monitors[chair].write(line)
        return stamp
    }

    private func vitalsLine(chair: Int, at time: Int64) -> [UInt8] {
        let seconds = Int(time / 1_000_000_000)
        let record = MasimoRecord(
            spo2: 97, pulseRate: Double(pulseRates.withLock { $0[chair] }), perfusionIndex: 3.1)
        let stamp = MasimoTimestamp(
            month: 1, day: 1, year: 26, hour: (seconds / 3600) % 24, minute: (seconds / 60) % 60, second: seconds % 60)
        return encoder.encode(record, timestamp: stamp)
    }

    /// The device thread: pump replies at once, pump clocks every 10 ms, vitals every second.
    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var attached = pumps.map(\.isClientAttached)
        var nextAdvance = BenchClock.now()
        var nextVitals = nextAdvance
        while !stopRequested.load(ordering: .acquiring) {
            let polled = (0..<pumps.count).filter { attached[$0] }
            var descriptors = polled.map { pollfd(fd: pumps[$0].master, events: Int16(POLLIN), revents: 0) }
            let wait = max(0, Int32((nextAdvance - BenchClock.now() + 999_999) / 1_000_000))
            _ = poll(&descriptors, nfds_t(descriptors.count), wait)
            let stamp = BenchClock.now()
            for (slot, index) in polled.enumerated() where descriptors[slot].revents != 0 {
                let bytes = pumps[index].read(into: &buffer)
                if bytes.isEmpty {
                    attached[index] = descriptors[slot].revents & Int16(POLLHUP) == 0
                    continue
                }
                serve(pump: index, bytes: Array(bytes), at: stamp)
            }
            if stamp >= nextAdvance {
                for index in pumps.indices {
                    attached[index] = pumps[index].isClientAttached
                    let output = simulators[index].advance(to: MonotonicInstant(nanoseconds: stamp))
                    if attached[index] { pumps[index].write(output) }
                }
                nextAdvance = stamp + 10_000_000
            }
            if stamp >= nextVitals {
                for index in monitors.indices where monitors[index].isClientAttached {
                    monitors[index].write(vitalsLine(chair: index, at: stamp))
                    _ = monitors[index].read(into: &buffer)
                }
                nextVitals += 1_000_000_000
                if nextVitals < stamp { nextVitals = stamp + 1_000_000_000 }
            }
        }
        running.store(false, ordering: .releasing)
    }

    private func serve(pump index: Int, bytes: [UInt8], at stamp: Int64) {
        for output in decoders[index].decode(bytes) {
            guard case .request(let request, _) = output, let command = request.command else { continue }
            switch command {
            case .setRate: wireLog.record(PumpWireEvent(chair: index, command: .setRate, time: stamp))
            case .stop: wireLog.record(PumpWireEvent(chair: index, command: .pause, time: stamp))
            case .run: wireLog.record(PumpWireEvent(chair: index, command: .run, time: stamp))
            default: break
            }
        }
        pumps[index].write(simulators[index].receive(bytes, at: MonotonicInstant(nanoseconds: stamp)))
    }
}
