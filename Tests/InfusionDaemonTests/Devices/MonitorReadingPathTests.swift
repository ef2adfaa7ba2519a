import DeviceProtocols
import InfusionCore
import Logging
import Synchronization
import Testing
import WireProtocol

@testable import InfusionDaemon

/// The chair supervisor's monitor path with a real driver on a simulator's pty: what reaches the
/// chair's core and what is published, in which order and on which thread.
///
/// The core's input queue and the event journal are seen through `PathLog`, an observer standing in
/// for the control bridge and the audit writer: the order of two calls on one thread cannot be seen
/// from outside the real ones.
@Suite("A monitor reading goes from the reader thread to the core, then to watchers")
struct MonitorReadingPathTests {
    /// Records, in one sequence, what the supervisor submitted to the core and what the hub journalled
    /// (the hub journals every event it publishes, in the same call).
    final class PathLog: ChairInputSink, EventJournal {
        struct Entry: Sendable, Equatable {
            var step: String
            var thread: String
        }

        private let entries = Mutex<[Entry]>([])
        var chairIDs: [String] { ["1"] }
        var all: [Entry] { entries.withLock { $0 } }

        func submit(_ input: CoreInput, chair: Int) {
            switch input {
            case .vital: append("core vital")
            case .link(.monitor, let isUp): append("core monitor \(isUp ? "up" : "down")")
            default: break
            }
        }

        func oldestJournalledSequence() async throws -> UInt64? { nil }

        func journal(_ event: EncodedEvent) {
            let line = String(decoding: event.line, as: UTF8.self)
            if line.hasPrefix(#"{"event":"vital""#) { append("published vital") }
            if line.hasPrefix(#"{"event":"device.down""#) { append("published device down") }
        }

        func events(after sequence: UInt64, limit: Int) async throws -> [EncodedEvent] { [] }

        private func append(_ step: String) {
            let entry = Entry(step: step, thread: currentThreadName())
            entries.withLock { $0.append(entry) }
        }
    }

    @Test("each reading is submitted to the core and then published, on the reader thread; nothing follows the stop's link down")
    func readingPath() async throws {
        let host = try MonitorUnderTest.masimo.makeHost()
        let log = PathLog()
        var timing = DeviceLinkSettings()
        timing.udev = false
        let settings = MonitorUnderTest.masimo.driverSettings()
        let supervisor = ChairDeviceSupervisor(
            chairs: [ChairSettings(id: "1", monitor: DeviceBinding(family: .masimo, path: host.devicePath))], chairInputs: log,
            hub: EventHub(journal: log), logger: Logger(label: "test.supervisor"), pumpQueues: [PumpCommandQueue()], timing: timing,
            openPump: { family, _, _ in throw DeviceDriverFactory.Unsupported(family: family) },
            openMonitor: { family, path, _, sink in
                try await DeviceDriverFactory.makeMonitorDriver(family: family, path: path, settings: settings, sink: sink)
            })
        let task = Task { await supervisor.run() }
        // Generous: on a loaded 2-core machine the test process can stall for many seconds.
        let deadline = ContinuousClock.now + .seconds(60)
        while log.all.filter({ $0.step == "published vital" }).count < 6, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(log.all.filter { $0.step == "published vital" }.count >= 6)
        task.cancel()
        await task.value

        let entries = log.all
        #expect(entries.first?.step == "core monitor up")
        let vitals = entries.filter { $0.step.hasSuffix("vital") }
        // A report's readings all reach the core, then all are published: runs of core vitals and published vitals
        // alternate, each pair of runs equally long, so every reading reached the core before it was published.
        var runs: [(step: String, count: Int)] = []
        for entry in vitals {
            #expect(entry.thread == serialReaderThreadName, "\(entry.step) on \(entry.thread)")
            if runs.last?.step == entry.step { runs[runs.count - 1].count += 1 } else { runs.append((entry.step, 1)) }
        }
        for (index, run) in runs.enumerated() {
            #expect(run.step == (index.isMultiple(of: 2) ? "core vital" : "published vital"), "\(vitals.map(\.step))")
        }
        for pair in stride(from: 0, to: runs.count - 1, by: 2) {
            #expect(runs[pair].count == runs[pair + 1].count, "\(vitals.map(\.step))")
        }
        // A Masimo line carries SpO2, pulse rate and PI: handed over together, not one by one.
        #expect(runs.contains { $0.count >= 3 }, "\(runs)")
        // run() returned after the driver was closed: the link down is the last word.
        #expect(entries.suffix(2).map(\.step) == ["core monitor down", "published device down"], "\(entries.suffix(4))")
        let atStop = entries.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(log.all.count == atStop, "delivered after the supervisor stopped: \(log.all.dropFirst(atStop))")
        await host.shutdown()
    }
}
