import DeviceProtocols
import DeviceSimulators
import Glibc
import InfusionCore
import Logging
import Synchronization
import Testing

@testable import InfusionDaemon

/// What the monitor tests need of a simulator host, whatever the device model.
protocol SimulatorHosting: Sendable {
    var devicePath: String { get }
    @discardableResult func control(_ line: String) -> String
    func disconnect()
    func shutdown() async
}

extension PtySimulatorHost: SimulatorHosting {}

/// The monitor families under test, each with a simulator whose cadence is sped up so a test
/// sees several readings within a second (the protocol itself is unchanged).
enum MonitorUnderTest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case masimo, noninFormat2, noninFormat8, intelliVue

    var testDescription: String { rawValue }

    var family: DeviceFamily {
        switch self {
        case .masimo: .masimo
        case .noninFormat2, .noninFormat8: .nonin
        case .intelliVue: .intelliVue
        }
    }

    func makeHost() throws -> any SimulatorHosting {
        let now = monotonicNow()
        let feed = PatientFeed(patient: PatientModel(parameters: .typical, seed: 5), source: .script(.constant(0)), origin: now)
        let state = MonitorSimulation(
            feed: feed, pharmacokinetics: PharmacokineticModel(parameters: .kamp, weightKilograms: 70), seed: 5)
        switch self {
        case .masimo:
            var settings = MasimoSimulationSettings()
            settings.period = .milliseconds(150)
            return try PtySimulatorHost(MasimoSimulator(settings: settings, state: state, start: now))
        case .noninFormat2:
            return try PtySimulatorHost(NoninSimulator(format: .format2, state: state, start: now))
        case .noninFormat8:
            // The real period: the host believes a record only when it comes alone, at least half a
            // second after the one before (NoninMonitor.format8MinimumRecordSpacing).
            var settings = NoninSimulationSettings()
            settings.recordPeriod = .seconds(1)
            return try PtySimulatorHost(NoninSimulator(format: .format8, settings: settings, state: state, start: now))
        case .intelliVue:
            var settings = IntelliVueSimulationSettings()
            settings.resultPeriod = .milliseconds(150)
            return try PtySimulatorHost(IntelliVueSimulator(settings: settings, state: state, start: now))
        }
    }

    /// Settings for these simulators. The link-loss time is long by default so that a test thread
    /// held up on a loaded machine never reads as a silent monitor; the liveness tests shorten it.
    func driverSettings(linkLostAfter: Duration = .seconds(60)) -> MonitorDriverSettings {
        MonitorDriverSettings(
            noninFormat: self == .noninFormat8 ? .format8 : .format2, reopenInterval: .milliseconds(200),
            linkLostAfter: linkLostAfter, clock: monotonicNow)
    }
}

/// The calling thread's name as the kernel has it (`/proc/thread-self/comm`; Glibc's module does
/// not export `pthread_getname_np`).
func currentThreadName() -> String {
    let descriptor = open("/proc/thread-self/comm", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "?" }
    defer { close(descriptor) }
    var name = [UInt8](repeating: 0, count: 32)
    let count = name.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return "?" }
    return String(decoding: name[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
}

/// The name `SerialLink` gives its reader threads.
let serialReaderThreadName = "infusiond-tty"

/// The sink a driver under test delivers to: it records each event with the name of the thread that
/// delivered it, and notes whether two deliveries ever overlapped.
final class EventRecorder: Sendable {
    /// One delivery: the event and the name of the thread it came on.
    struct Delivery: Sendable {
        var event: MonitorEvent
        var thread: String
    }

    private let deliveries = Mutex<[Delivery]>([])
    private let deliveriesInProgress = Atomic<Int>(0)
    private let overlapped = Atomic<Bool>(false)
    /// Calls that carried no event at all (the contract says there are none).
    let emptyDeliveries = Atomic<Int>(0)

    init() {}

    /// The sink to open a driver with.
    var sink: MonitorEventSink {
        { [self] events in record(events) }
    }

    private func record(_ events: [MonitorEvent]) {
        if deliveriesInProgress.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue != 0 {
            overlapped.store(true, ordering: .releasing)
        }
        if events.isEmpty { emptyDeliveries.wrappingAdd(1, ordering: .relaxed) }
        let thread = currentThreadName()
        deliveries.withLock { $0 += events.map { Delivery(event: $0, thread: thread) } }
        deliveriesInProgress.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    var all: [MonitorEvent] { deliveries.withLock { $0.map(\.event) } }
    /// Every delivery so far, with its thread.
    var allDeliveries: [Delivery] { deliveries.withLock { $0 } }
    /// Whether the sink was ever entered while another delivery was in progress.
    var hasOverlapped: Bool { overlapped.load(ordering: .acquiring) }
    var vitals: [VitalSign] {
        all.compactMap {
            if case .vital(let vital) = $0 { return vital }
            return nil
        }
    }
    var links: [Bool] {
        all.compactMap {
            if case .link(let isUp) = $0 { return isUp }
            return nil
        }
    }

    /// Waits until `condition` holds, up to `timeout`; returns whether it did. The default is generous
    /// because the drivers and simulators share the test process's small thread pool with CPU-bound
    /// tests that can hold it for many seconds on a loaded 2-core machine; a passing wait returns early.
    func wait(upTo timeout: Duration = .seconds(30), until condition: (EventRecorder) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }

    /// Forgets what was recorded so far.
    func clear() {
        deliveries.withLock { $0.removeAll() }
    }
}

/// A monitor driver opened through the factory on a simulator's pty, with its recorder.
struct MonitorRig {
    let host: any SimulatorHosting
    let driver: any MonitorDriver
    let recorder: EventRecorder

    static func start(_ monitor: MonitorUnderTest, linkLostAfter: Duration = .seconds(60)) async throws -> MonitorRig {
        let host = try monitor.makeHost()
        let recorder = EventRecorder()
        let driver = try await DeviceDriverFactory.makeMonitorDriver(
            family: monitor.family, path: host.devicePath, settings: monitor.driverSettings(linkLostAfter: linkLostAfter),
            logger: Logger(label: "test.monitor"), sink: recorder.sink)
        return MonitorRig(host: host, driver: driver, recorder: recorder)
    }

    func finish() async {
        await driver.close()
        await host.shutdown()
    }

    /// Waits for a fresh SpO2 reading received after the call, and returns it.
    func nextReading(of parameter: VitalParameter = .spo2) async -> VitalSign? {
        recorder.clear()
        _ = await recorder.wait { $0.vitals.contains { $0.parameter == parameter } }
        return recorder.vitals.first { $0.parameter == parameter }
    }
}
