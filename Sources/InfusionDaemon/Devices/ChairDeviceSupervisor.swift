package import InfusionCore
package import Logging
internal import Synchronization
package import WireProtocol

/// Opens drivers for one device.
package typealias PumpDriverOpener = @Sendable (DeviceBinding) async throws -> any PumpDriver
/// Opens drivers for one device.
package typealias MonitorDriverOpener = @Sendable (DeviceBinding) async throws -> any MonitorDriver

/// Keeps each chair's configured pump and monitor connected and moves data between them and the
/// control thread: pump commands out (in order, one at a time), read-backs, vitals and link changes in.
///
/// It decides nothing clinical: a lost link is reported to the core, which raises the alarm and
/// pauses; a device that comes back is reopened and read back, never resumed.
package final class ChairDeviceSupervisor: Sendable {
    private let chairs: [ChairSettings]
    private let bridge: ControlBridge
    private let hub: EventHub
    private let logger: Logger
    private let openPump: PumpDriverOpener
    private let openMonitor: MonitorDriverOpener
    private let timing: DeviceLinkSettings
    private let pumpCommands: [AsyncStream<PumpCommand>.Continuation]
    private let pumpCommandStreams: [AsyncStream<PumpCommand>]
    private let links = Mutex<[String: String]>([:])
    /// When each chair's pump last answered, to declare the link lost after `linkLostAfter`.
    private let lastPumpContact = Mutex<[Int: ContinuousClock.Instant]>([:])

    package init(
        chairs: [ChairSettings], bridge: ControlBridge, hub: EventHub, logger: Logger, timing: DeviceLinkSettings = DeviceLinkSettings(),
        openPump: @escaping PumpDriverOpener, openMonitor: @escaping MonitorDriverOpener
    ) {
        self.chairs = chairs
        self.bridge = bridge
        self.hub = hub
        self.logger = logger
        self.timing = timing
        self.openPump = openPump
        self.openMonitor = openMonitor
        var streams: [AsyncStream<PumpCommand>] = []
        var continuations: [AsyncStream<PumpCommand>.Continuation] = []
        for _ in chairs {
            let (stream, continuation) = AsyncStream.makeStream(of: PumpCommand.self)
            streams.append(stream)
            continuations.append(continuation)
        }
        pumpCommandStreams = streams
        pumpCommands = continuations
    }

    /// Queues a pump command from the core for chair `index`.
    package func send(_ command: PumpCommand, chair index: Int) {
        pumpCommands[index].yield(command)
    }

    /// The configured devices with their link state, for `devices`.
    package var deviceSummaries: [DeviceSummary] {
        let states = links.withLock { $0 }
        return chairs.flatMap { chair in
            [(chair.pump, "pump"), (chair.monitor, "monitor")].compactMap { binding, role in
                binding.map {
                    DeviceSummary(
                        path: $0.path, driver: $0.family.rawValue, chair: chair.id, role: role,
                        link: states[$0.path] ?? "down")
                }
            }
        }
    }

    /// Runs every chair's links until cancelled.
    package func run() async {
        await withDiscardingTaskGroup { group in
            for (index, chair) in chairs.enumerated() {
                if let pump = chair.pump {
                    group.addTask { await self.superviseClosingOnCancel(pump: pump, chair: index) }
                }
                if let monitor = chair.monitor {
                    group.addTask { await self.supervise(monitor: monitor, chair: index) }
                }
            }
        }
    }

    private func setLink(_ binding: DeviceBinding, role: DeviceRole, chair: Int, isUp: Bool) {
        let changed = links.withLock { states in
            let new = isUp ? "up" : "down"
            defer { states[binding.path] = new }
            return states[binding.path] != new
        }
        guard changed else { return }
        bridge.submit(.link(role, isUp: isUp), chair: chair)
        hub.publish(
            isUp ? "device.up" : "device.down", topic: .devices,
            data: DeviceSummary(path: binding.path, driver: binding.family.rawValue, chair: chairs[chair].id,
                                role: role.rawValue, link: isUp ? "up" : "down"))
        var metadata: Logger.Metadata = ["chair": "\(chairs[chair].id)", "device": "\(binding.path)"]
        metadata["role"] = "\(role.rawValue)"
        if isUp { logger.info("device link up", metadata: metadata) } else { logger.warning("device link down", metadata: metadata) }
    }

    // MARK: - Pump

    private func superviseClosingOnCancel(pump binding: DeviceBinding, chair: Int) async {
        while !Task.isCancelled {
            guard let driver = try? await openPump(binding) else {
                setLink(binding, role: .pump, chair: chair, isUp: false)
                try? await Task.sleep(for: timing.reopenInterval)
                continue
            }
            await runPump(driver, binding: binding, chair: chair)
            await driver.close()
            setLink(binding, role: .pump, chair: chair, isUp: false)
            try? await Task.sleep(for: timing.reopenInterval)
        }
    }

    /// Serves one open pump until its link is lost: commands in order, and a poll every interval.
    private func runPump(_ driver: any PumpDriver, binding: DeviceBinding, chair: Int) async {
        guard let first = try? await driver.poll() else { return }
        report(first, chair: chair)
        setLink(binding, role: .pump, chair: chair, isUp: true)
        lastPumpContact.withLock { $0[chair] = .now }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await command in self.pumpCommandStreams[chair] {
                    do throws(PumpDriverFailure) {
                        let observation = try await driver.perform(command)
                        self.lastPumpContact.withLock { $0[chair] = .now }
                        self.report(observation, chair: chair)
                    } catch {
                        self.reportFailure(error, command: command, chair: chair)
                        if case .linkDown = error { return }
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.timing.pollInterval)
                    do throws(PumpDriverFailure) {
                        let observation = try await driver.poll()
                        self.lastPumpContact.withLock { $0[chair] = .now }
                        self.report(observation, chair: chair)
                    } catch {
                        if case .linkDown = error { return }
                        let last = self.lastPumpContact.withLock { $0[chair] } ?? .now
                        if ContinuousClock.now - last > self.timing.linkLostAfter { return }
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func report(_ observation: PumpObservation, chair: Int) {
        bridge.submit(.pump(observation), chair: chair)
        hub.publish("pump.readback", topic: .pump, data: ChairPayload(chair: chairs[chair].id, detail: observation))
    }

    private func reportFailure(_ failure: PumpDriverFailure, command: PumpCommand, chair: Int) {
        if case .readBackMismatch(_, let observed) = failure { bridge.submit(.pump(observed), chair: chair) }
        hub.publish(
            "pump.command-failed", topic: .pump,
            data: ChairPayload(chair: chairs[chair].id, detail: PumpFailureReport(command: PumpCommandRecord(command), failure: "\(failure)")))
        logger.error("pump command failed", metadata: ["chair": "\(chairs[chair].id)", "failure": "\(failure)"])
    }

    // MARK: - Monitor

    private func supervise(monitor binding: DeviceBinding, chair: Int) async {
        while !Task.isCancelled {
            if let driver = try? await openMonitor(binding) {
                await withTaskCancellationHandler {
                    for await event in driver.events {
                        switch event {
                        case .vital(let vital):
                            bridge.submit(.vital(vital), chair: chair)
                            hub.publish("vital", topic: .vitals, data: ChairPayload(chair: chairs[chair].id, detail: vital))
                        case .link(let isUp):
                            setLink(binding, role: .monitor, chair: chair, isUp: isUp)
                        }
                    }
                } onCancel: {
                    Task { await driver.close() }
                }
                await driver.close()
            }
            setLink(binding, role: .monitor, chair: chair, isUp: false)
            try? await Task.sleep(for: timing.reopenInterval)
        }
    }
}

/// The data of a `pump.command-failed` event.
struct PumpFailureReport: Encodable, Sendable {
    var command: PumpCommandRecord
    var failure: String
}
