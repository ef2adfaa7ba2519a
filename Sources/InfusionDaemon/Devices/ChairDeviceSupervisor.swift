package import DeviceProtocols
internal import InfusionCore
package import Logging
internal import Synchronization
internal import WireProtocol

/// Opens the pump driver of `family` at a device path for the chair of that index.
package typealias PumpDriverOpener = @Sendable (DeviceFamily, String, Int) async throws -> any PumpDriver
/// Opens the monitor driver of `family` at a device path for the chair of that index, delivering its
/// events to the sink (`MonitorEventSink`: on the driver's reader thread).
package typealias MonitorDriverOpener =
    @Sendable (DeviceFamily, String, Int, @escaping MonitorEventSink) async throws -> any MonitorDriver

/// Keeps each chair's pump and monitor connected and moves data between them and the control
/// thread: pump commands out (in order, one at a time), read-backs, vitals and link changes in.
///
/// A fixed-path device is reopened at its path every `reopenSeconds`. A udev-matched device is
/// driven when discovery reports it (`handle(_:)`, fed by `run()`'s udev monitor) and dropped when
/// it is unplugged. It decides nothing clinical: a lost link is reported to the core, which raises
/// the alarm and pauses; a device that comes back is reopened and read back, never resumed.
package final class ChairDeviceSupervisor: Sendable {
    let chairs: [ChairSettings]
    let chairInputs: any ChairInputSink
    let hub: EventHub
    /// The binding journal: which adapter each chair role drives, remembered across restarts; nil without a store.
    let bindingJournal: AuditRecorder?
    let logger: Logger
    private let openPump: PumpDriverOpener
    private let openMonitor: MonitorDriverOpener
    /// How long after the host falls silent a pump of a family stops by itself; nil when never.
    /// How long after the host falls silent the pump of a family and chair stops by itself; nil when never.
    private let pumpSideStopDelay: @Sendable (DeviceFamily, Int) -> Duration?
    let timing: DeviceLinkSettings
    private let pumpQueues: [PumpCommandQueue]
    /// The configured device places; udev slots start empty.
    let slots: [ChairRole: DeviceSlot]
    /// Which present devices serve which chair role.
    let registry: Mutex<DiscoveryRegistry>
    /// Whether each chair role's link is up; absent until first known.
    let links = Mutex<[ChairRole: Bool]>([:])
    /// When each chair's pump last answered, to declare the link lost after `linkLostAfter`.
    private let lastPumpContact = Mutex<[Int: ContinuousClock.Instant]>([:])

    package init(
        chairs: [ChairSettings], chairInputs: any ChairInputSink, hub: EventHub, logger: Logger, pumpQueues: [PumpCommandQueue],
        bindingJournal: AuditRecorder? = nil,
        timing: DeviceLinkSettings = DeviceLinkSettings(),
        openPump: @escaping PumpDriverOpener, openMonitor: @escaping MonitorDriverOpener,
        pumpSideStopDelay: @escaping @Sendable (DeviceFamily, Int) -> Duration? = { _, _ in nil },
        rememberedAdapters: [ChairRole: String] = [:]
    ) {
        self.chairs = chairs
        self.chairInputs = chairInputs
        self.hub = hub
        self.bindingJournal = bindingJournal
        self.logger = logger
        self.timing = timing
        self.openPump = openPump
        self.openMonitor = openMonitor
        self.pumpSideStopDelay = pumpSideStopDelay
        precondition(pumpQueues.count == chairs.count, "one pump command queue per chair")
        self.pumpQueues = pumpQueues
        var slots: [ChairRole: DeviceSlot] = [:]
        var claims: [DeviceClaim] = []
        var drivers: [ChairRole: String] = [:]
        for (slot, binding) in Self.bindings(of: chairs) {
            slots[slot] = DeviceSlot(fixedPath: binding.path)
            claims.append(DeviceClaim(chair: slot.chair, role: slot.role, match: binding.match(chair: slot.chair, role: slot.role)))
            drivers[slot] = binding.family.rawValue
        }
        self.slots = slots
        var registry = DiscoveryRegistry(claims: claims, drivers: drivers)
        for (slot, key) in rememberedAdapters { registry.recall(key, for: slot) }
        self.registry = Mutex(registry)
    }

    /// Every configured device place with its binding, in configuration order.
    static func bindings(of chairs: [ChairSettings]) -> [(ChairRole, DeviceBinding)] {
        chairs.flatMap { chair in
            [(DeviceRole.pump, chair.pump), (.monitor, chair.monitor)].compactMap { role, binding in
                binding.map { (ChairRole(chair: chair.id, role: role), $0) }
            }
        }
    }

    /// Runs every chair's links, and udev discovery when configured, until cancelled.
    package func run() async {
        await withDiscardingTaskGroup { group in
            for (index, chair) in chairs.enumerated() {
                if let pump = chair.pump, let slot = slots[ChairRole(chair: chair.id, role: .pump)] {
                    // On the chair's pump executor, which its drivers take too: a command pushed by the dispatcher
                    // resumes this task on that thread, and the driver runs there without another hop.
                    let executor = PumpExecutor()
                    group.addTask(executorPreference: executor) {
                        await PumpExecutor.$current.withValue(executor) {
                            await self.supervise(pump: pump.family, slot: slot, chair: index)
                        }
                    }
                }
                if let monitor = chair.monitor, let slot = slots[ChairRole(chair: chair.id, role: .monitor)] {
                    group.addTask { await self.supervise(monitor: monitor.family, slot: slot, chair: index) }
                }
            }
            // After the fixed-path links: the start-up scan reads sysfs synchronously.
            if timing.udev {
                group.addTask { await self.discover() }
            } else if chairs.contains(where: { [$0.pump, $0.monitor].contains { $0?.usesDiscovery == true } }) {
                logger.error("devices.udev is off: chairs that name devices by serial, idPath or siteRule get none")
            }
        }
    }

    private func setLink(role: DeviceRole, chair: Int, isUp: Bool) {
        let place = ChairRole(chair: chairs[chair].id, role: role)
        let changed = links.withLock { states in
            defer { states[place] = isUp }
            return states[place] != isUp
        }
        guard changed else { return }
        chairInputs.submit(.link(role, isUp: isUp), chair: chair)
        hub.publish(isUp ? .deviceUp : .deviceDown, data: summary(of: place))
        let metadata: Logger.Metadata = [
            "chair": "\(place.chair)", "role": "\(role.rawValue)", "device": "\(slots[place]?.target?.path ?? "-")",
        ]
        if isUp { logger.info("device link up", metadata: metadata) } else { logger.warning("device link down", metadata: metadata) }
    }

    /// Runs `body` for `target` until it returns or the slot's target changes (the device was
    /// unplugged), whichever is first; then cancels the other.
    private func whileAssigned(_ target: DeviceSlot.Target, in slot: DeviceSlot, _ body: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            group.addTask { await slot.waitUntilWithdrawn(target) }
            await group.next()
            group.cancelAll()
        }
    }

    /// The driver `open` made, or nil after logging why it could not be opened.
    private func opened<Driver>(
        _ open: () async throws -> Driver, _ target: DeviceSlot.Target, _ role: DeviceRole, _ chair: Int
    ) async -> Driver? {
        do {
            return try await open()
        } catch {
            logNotOpened(error, target, role, chair)
            return nil
        }
    }

    private func logNotOpened(_ error: any Error, _ target: DeviceSlot.Target, _ role: DeviceRole, _ chair: Int) {
        logger.debug(
            "device not opened",
            metadata: ["chair": "\(chairs[chair].id)", "role": "\(role.rawValue)", "device": "\(target.path)", "error": "\(error)"])
    }

    // MARK: - Pump

    private func supervise(pump family: DeviceFamily, slot: DeviceSlot, chair: Int) async {
        while let target = await slot.nextTarget() {
            let pumpFellSilent = Mutex(false)
            await whileAssigned(target, in: slot) {
                let driver: any PumpDriver
                do {
                    driver = try await self.openPump(family, target.path, chair)
                } catch {
                    self.logNotOpened(error, target, .pump, chair)
                    // The port opened but the pump did not answer: its dead-man timer must run out.
                    if case .notConfirmed = error as? PumpDriverFailure { pumpFellSilent.withLock { $0 = true } }
                    return
                }
                let ending = await self.runPump(driver, chair: chair)
                await driver.close()
                if ending == .pumpSilent { pumpFellSilent.withLock { $0 = true } }
            }
            setLink(role: .pump, chair: chair, isUp: false)
            guard slot.target == target else { continue }
            try? await Task.sleep(for: pauseBeforeReopening(family, chair: chair, afterSilence: pumpFellSilent.withLock { $0 }))
        }
    }

    /// How long to leave the port alone before reopening it. After the pump stopped answering, the
    /// daemon stays silent for longer than the pump's dead-man timer (NE-1000 safe mode), so a pump
    /// that still receives but whose replies are lost stops itself: every packet sent, even a
    /// status query or the `SAF` of a reopen, would feed that timer.
    private func pauseBeforeReopening(_ family: DeviceFamily, chair: Int, afterSilence: Bool) -> Duration {
        guard afterSilence, let stopDelay = pumpSideStopDelay(family, chair) else { return timing.reopenInterval }
        return max(timing.reopenInterval, stopDelay + timing.pumpSilenceMargin)
    }

    /// Why a pump's service ended.
    private enum PumpServiceEnding: Sendable {
        /// The port failed or the device went away.
        case linkDown
        /// The pump stopped answering for longer than the link-loss time.
        case pumpSilent
    }

    /// Serves one open pump until its link is lost: commands in order, and a poll every interval.
    /// A failure of either counts against the link: once nothing valid has come back for
    /// `linkLostAfter`, the service ends.
    private func runPump(_ driver: any PumpDriver, chair: Int) async -> PumpServiceEnding {
        let first: PumpObservation
        do throws(PumpDriverFailure) {
            first = try await driver.poll()
        } catch {
            if case .linkDown = error { return .linkDown }
            return .pumpSilent
        }
        report(first, chair: chair)
        setLink(role: .pump, chair: chair, isUp: true)
        lastPumpContact.withLock { $0[chair] = .now }
        return await withTaskGroup(of: PumpServiceEnding.self) { group in
            group.addTask {
                while let command = await self.pumpQueues[chair].next() {
                    do throws(PumpDriverFailure) {
                        let observation = try await driver.perform(command)
                        self.lastPumpContact.withLock { $0[chair] = .now }
                        self.report(observation, chair: chair)
                    } catch {
                        self.reportFailure(error, command: command, chair: chair)
                        if let ending = self.ending(after: error, chair: chair) { return ending }
                    }
                }
                return .linkDown
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.timing.pollInterval)
                    guard !Task.isCancelled else { break }
                    do throws(PumpDriverFailure) {
                        let observation = try await driver.poll()
                        self.lastPumpContact.withLock { $0[chair] = .now }
                        self.report(observation, chair: chair)
                    } catch {
                        if let ending = self.ending(after: error, chair: chair) { return ending }
                    }
                }
                return .linkDown
            }
            let ending = await group.next() ?? .linkDown
            group.cancelAll()
            return ending
        }
    }

    /// Whether a failure ends the pump's service: the link is gone, or the pump has sent nothing
    /// valid for `linkLostAfter`. A reply that disagrees is still a reply.
    private func ending(after failure: PumpDriverFailure, chair: Int) -> PumpServiceEnding? {
        switch failure {
        case .linkDown: return .linkDown
        case .readBackMismatch, .failed: return nil
        case .notConfirmed:
            let last = lastPumpContact.withLock { $0[chair] } ?? .now
            return ContinuousClock.now - last > timing.linkLostAfter ? .pumpSilent : nil
        }
    }

    private func report(_ observation: PumpObservation, chair: Int) {
        chairInputs.submit(.pump(observation), chair: chair)
        hub.publish(
            .pumpReadback,
            data: ChairEventData(chair: chairs[chair].id, detail: DeviceWire.readback(observation, clock: .now())))
    }

    /// Hands the failure to the core (which repeats an unconfirmed halt and marks delivery
    /// uncertain) and tells watchers, with the reason name apart from the message.
    private func reportFailure(_ failure: PumpDriverFailure, command: PumpCommand, chair: Int) {
        let coreFailure = failure.coreFailure(of: command)
        if case .readBackMismatch = failure { lastPumpContact.withLock { $0[chair] = .now } }
        chairInputs.submit(.pumpCommandFailed(coreFailure), chair: chair)
        hub.publish(
            .pumpCommandFailed,
            data: ChairEventData(chair: chairs[chair].id, detail: DeviceWire.failure(coreFailure)))
        logger.error("pump command failed", metadata: ["chair": "\(chairs[chair].id)", "failure": "\(failure)"])
    }

    // MARK: - Monitor

    /// Runs the chair's monitor. Its events are handled by `deliver(_:chair:)` on the driver's reader
    /// thread, not here: this task only opens, waits and closes.
    private func supervise(monitor family: DeviceFamily, slot: DeviceSlot, chair: Int) async {
        while let target = await slot.nextTarget() {
            await whileAssigned(target, in: slot) {
                let sink: MonitorEventSink = { events in self.deliver(events, chair: chair) }
                guard
                    let driver = await self.opened({ try await self.openMonitor(family, target.path, chair, sink) }, target, .monitor, chair)
                else { return }
                // Returns on cancellation (the device was withdrawn or the daemon stops).
                await driver.waitUntilClosed()
                await driver.close()
            }
            // After close(): the sink is not called again, so no late "up" follows this "down".
            setLink(role: .monitor, chair: chair, isUp: false)
            if slot.target == target { try? await Task.sleep(for: timing.reopenInterval) }
        }
    }

    /// A monitor's events, on the driver's reader thread (or its timer task), one delivery at a time. A run of
    /// readings goes to the chair's core first, in one hand-off (one wake-up of the control thread), so the
    /// interlock does not wait for the fan-out to watchers; then to the watchers, in one publish. Neither blocks
    /// or awaits. A link change keeps its place among the readings.
    private func deliver(_ events: [MonitorEvent], chair: Int) {
        var readings: [VitalSign] = []
        func handOver() {
            guard !readings.isEmpty else { return }
            chairInputs.submit(readings.map(CoreInput.vital), chair: chair)
            let clock = WallClockAnchor.now()
            hub.publish(.vital, encodedEach: readings.map {
                ChairEventData(chair: chairs[chair].id, detail: DeviceWire.vital($0, clock: clock)).encodedData
            })
            readings.removeAll()
        }
        for event in events {
            switch event {
            case .vital(let vital):
                readings.append(vital)
            case .link(let isUp):
                handOver()
                setLink(role: .monitor, chair: chair, isUp: isUp)
            }
        }
        handOver()
    }
}
