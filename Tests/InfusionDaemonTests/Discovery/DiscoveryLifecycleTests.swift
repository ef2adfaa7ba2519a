import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

/// The supervisor driven through its discovery seam: device events as udev would send them, whose
/// nodes are real ptys with a simulated NE-1000 behind them.
@Suite("Discovery lifecycle through the seam", .serialized)
struct DiscoveryLifecycleTests {
    static let port = "pci-0000:00:14.0-usb-0:1:1.0"
    static let pump = ChairRole(chair: "1", role: .pump)

    /// A chair whose pump is bound by USB port, a started control loop, and a running supervisor.
    struct Rig {
        let bridge: ControlBridge
        let supervisor: ChairDeviceSupervisor
        /// The chair's pump command queue, as the bridge would fill it.
        let pumpQueue = PumpCommandQueue()
        let task: Task<Void, Never>

        init(binding: DeviceBinding) {
            let loop = ControlLoop(chairCount: 1, configuration: CoreConfiguration(), tickInterval: .milliseconds(10))
            bridge = ControlBridge(loop: loop, chairIDs: ["1"], hub: EventHub(), logger: Logger(label: "test"))
            loop.start(realtimePriority: nil, lockMemory: false) { _ in }
            bridge.startDispatcher()
            var timing = DeviceLinkSettings()
            timing.udev = false
            timing.pollSeconds = 0.2
            timing.linkLostSeconds = 1
            timing.reopenSeconds = 0.2
            let settings = PumpDriverSettings(newEra: NewEraDriverSettings(syringeDiameterMillimetres: testSyringeDiameter))
            let logger = Logger(label: "test.discovery")
            let supervisor = ChairDeviceSupervisor(
                chairs: [ChairSettings(id: "1", pump: binding)], chairInputs: bridge, hub: EventHub(), logger: logger, pumpQueues: [pumpQueue],
                timing: timing,
                openPump: { family, path, _ in try await DeviceDriverFactory.makePumpDriver(family: family, path: path, settings: settings) },
                openMonitor: { family, path, _, sink in
                    try await DeviceDriverFactory.makeMonitorDriver(family: family, path: path, sink: sink)
                })
            self.supervisor = supervisor
            task = Task { await supervisor.run() }
        }

        var pumpEntry: [String: String?] {
            let entry = supervisor.deviceSummaries.first { $0.chair == "1" && $0.role == "pump" && $0.binding != "refused" }
            return ["link": entry?.link, "path": entry?.path, "serial": entry?.serial, "binding": entry?.binding]
        }

        func finish() async {
            task.cancel()
            await task.value
            bridge.loop.stop()
        }
    }

    static func simulatedPump() throws -> PtySimulatorHost<NewEraPumpSimulator> {
        try PtySimulatorHost(NewEraPumpSimulator(configuration: .init(diameterMillimetres: 26.59, loadedMillilitres: 5)))
    }

    static func adapter(_ serial: String, node: String) -> DeviceIdentity {
        DeviceIdentity(
            devnode: node, syspath: "/sys/devices/fake/\(serial)/tty/\(node.split(separator: "/").last ?? "")",
            vendorID: "0403", modelID: "6001", serialShort: serial, idPath: port, driver: "ftdi_sio")
    }

    @Test func unplugDropsTheLinkAndReplugOfTheSameAdapterReconnectsWithQueuedCommands() async throws {
        let host = try Self.simulatedPump()
        let rig = Rig(binding: DeviceBinding(family: .newEra, idPath: Self.port))
        #expect(rig.pumpEntry["binding"] == "waiting")
        let adapter = Self.adapter("A10K4Q7B", node: host.devicePath)
        rig.supervisor.handle(DeviceEvent(action: .add, identity: adapter))
        try await eventually { rig.pumpEntry["link"] == "up" }
        #expect(rig.pumpEntry["serial"] == "A10K4Q7B")
        rig.pumpQueue.push(.setRate(MillilitresPerHour(3)))
        rig.pumpQueue.push(.start)
        try await eventually { host.stateValue("status") == "I" }

        rig.supervisor.handle(DeviceEvent(action: .remove, identity: adapter))
        try await eventually { rig.pumpEntry["link"] == "down" }
        // Issued while the pump is away (as the core's pause on link loss is): it must not be lost.
        rig.pumpQueue.push(.pause)
        try await Task.sleep(for: .milliseconds(500))
        #expect(host.stateValue("status") == "I", "nothing reaches a withdrawn device")

        rig.supervisor.handle(DeviceEvent(action: .add, identity: adapter))
        try await eventually { rig.pumpEntry["link"] == "up" }
        try await eventually { host.stateValue("status") != "I" }
        await rig.finish()
        await host.shutdown()
    }

    @Test func anotherAdapterOnThePortIsRefusedUntilAdopted() async throws {
        let first = try Self.simulatedPump()
        let second = try Self.simulatedPump()
        let rig = Rig(binding: DeviceBinding(family: .newEra, idPath: Self.port))
        let original = Self.adapter("A10K4Q7B", node: first.devicePath)
        rig.supervisor.handle(DeviceEvent(action: .add, identity: original))
        try await eventually { rig.pumpEntry["link"] == "up" }
        rig.supervisor.handle(DeviceEvent(action: .remove, identity: original))
        try await eventually { rig.pumpEntry["link"] == "down" }

        let stranger = Self.adapter("FT99ZZZ", node: second.devicePath)
        rig.supervisor.handle(DeviceEvent(action: .add, identity: stranger))
        let refused = rig.supervisor.deviceSummaries.first { $0.binding == "refused" }
        #expect(refused?.serial == "FT99ZZZ")
        #expect(refused?.idPath == Self.port)
        #expect(refused?.reason?.contains("adopt") == true)
        try await Task.sleep(for: .milliseconds(500))
        #expect(rig.pumpEntry["link"] == "down", "a refused device is never opened")
        #expect(rig.pumpEntry["binding"] == "waiting")

        let adopted = try rig.supervisor.adopt(chair: "1", role: .pump)
        #expect(adopted.serial == "FT99ZZZ")
        try await eventually { rig.pumpEntry["link"] == "up" && rig.pumpEntry["serial"] == "FT99ZZZ" }
        #expect(throws: DiscoveryRegistry.AdoptionError.self) { try rig.supervisor.adopt(chair: "1", role: .pump) }
        await rig.finish()
        await first.shutdown()
        await second.shutdown()
    }

    @Test func aFixedPathBindingCannotAdopt() async throws {
        let rig = Rig(binding: DeviceBinding(family: .newEra, path: "/nonexistent/ttyPUMP"))
        #expect(rig.pumpEntry["path"] == "/nonexistent/ttyPUMP")
        #expect(rig.pumpEntry["binding"] == "bound")
        #expect(throws: DiscoveryRegistry.AdoptionError.self) { try rig.supervisor.adopt(chair: "1", role: .pump) }
        await rig.finish()
    }
}

/// Polls `condition` for at most 60 s, recording a failure at the caller. Generous: on the shared
/// 2-core CI machine the whole test process has been seen to stall for over 20 s under load.
private func eventually(
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: @Sendable () -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 60 s", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
