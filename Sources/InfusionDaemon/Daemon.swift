#if canImport(Glibc)
internal import Glibc
#endif
internal import Foundation
public import Logging
internal import ServiceLifecycle
internal import WireProtocol

/// infusiond as a whole: wires configuration, the socket server and systemd together and runs
/// them until SIGTERM or SIGINT.
public struct Daemon: Sendable {
    private let configuration: DaemonConfiguration
    private let logger: Logger
    private let testFaults: Bool

    /// `testFaults` enables the test-only `test-fault` command; never set it in production.
    public init(configuration: DaemonConfiguration, logger: Logger, testFaults: Bool = false) {
        self.configuration = configuration
        self.logger = logger
        self.testFaults = testFaults
    }

    /// Serves until a termination signal, then shuts down cleanly. Returning means a clean stop;
    /// throwing means the daemon could not start or failed (the caller exits non-zero).
    public func run() async throws {
        let notifier = SystemdNotifier()
        LinkRecorder.record(into: configuration.devices.recordDirectory)
        SafetyPathScheduling.configure(controlPriority: configuration.control.realtimePriority)
        // Each pump is set up at open for its chair's default syringe (programs set theirs) and its
        // binding's own settings; each monitor with its binding's.
        let pumpSettings = configuration.chairs.map { chair in
            let syringe = configuration.core.syringes.syringe(id: chair.syringe ?? configuration.core.syringes.defaultID)
            return (chair.pump?.settings ?? DeviceSettings()).applied(to: PumpDriverSettings(syringe: syringe))
        }
        let monitorSettings = configuration.chairs.map { chair in
            (chair.monitor?.settings ?? DeviceSettings()).applied(
                to: MonitorDriverSettings(
                    reopenInterval: configuration.devices.reopenInterval, linkLostAfter: configuration.devices.monitorLinkLostAfter))
        }
        var idleTick = Duration.nanoseconds(Int64(configuration.control.idleTickMilliseconds * 1_000_000))
        if let longest = WatchdogService.longestIdleTick(), longest < idleTick {
            // A short WatchdogSec: idle ticks must still move the counter between the watchdog's checks.
            logger.notice("idle tick shortened to fit the systemd watchdog", metadata: ["idleTick": "\(longest)"])
            idleTick = longest
        }
        let loop = ControlLoop(
            chairCount: configuration.chairs.count, configuration: configuration.core,
            tickInterval: .nanoseconds(Int64(configuration.control.tickMilliseconds * 1_000_000)),
            idleTickInterval: idleTick,
            chairConfigurations: configuration.chairs.enumerated().map { index, chair in
                var own = configuration.core
                if let syringe = chair.syringe { own.syringes.defaultID = syringe }
                own.pumpStopsWhenHostFallsSilent =
                    chair.pump.map { DeviceDriverFactory.pumpSideStopDelay(family: $0.family, settings: pumpSettings[index]) != nil } ?? true
                return own
            })
        let chairIDs = configuration.chairs.map(\.id)
        let (recorder, recovery) = try openAudit(chairIDs: chairIDs)
        // The event cursor continues the journal's numbering, so a client's `since` stays valid across restarts.
        let eventRun = try recorder.writer.store.beginEventRun()
        let hub = EventHub(firstSequence: eventRun, journal: recorder.writer)
        let pumpQueues = chairIDs.map { _ in PumpCommandQueue() }
        let bridge = ControlBridge(loop: loop, chairIDs: chairIDs, hub: hub, logger: logger, recorder: recorder, pumpQueues: pumpQueues)
        for chair in recovery.chairs { bridge.restore(chair: chair.index, from: chair.checkpoint, outage: chair.outage) }
        let deviceLogger = logger
        let supervisor = ChairDeviceSupervisor(
            chairs: configuration.chairs, chairInputs: bridge, hub: hub, logger: logger, pumpQueues: pumpQueues, bindingJournal: recorder,
            timing: configuration.devices,
            openPump: { family, path, chair in
                try await DeviceDriverFactory.makePumpDriver(family: family, path: path, settings: pumpSettings[chair], logger: deviceLogger)
            },
            openMonitor: { family, path, chair, sink in
                try await DeviceDriverFactory.makeMonitorDriver(
                    family: family, path: path, settings: monitorSettings[chair], logger: deviceLogger, sink: sink)
            },
            pumpSideStopDelay: { family, chair in DeviceDriverFactory.pumpSideStopDelay(family: family, settings: pumpSettings[chair]) },
            rememberedAdapters: recovery.rememberedAdapters)
        var context = DaemonContext(
            hub: hub, control: bridge, loop: loop, recorder: recorder, core: configuration.core, startTime: .now,
            maxLineBytes: configuration.socket.maxLineBytes, devices: { supervisor.deviceSummaries })
        context.testFaultsEnabled = testFaults
        for chair in configuration.chairs { if let syringe = chair.syringe { context.chairSyringes[chair.id] = syringe } }
        context.adoptDevice = { (chair, role) throws(DiscoveryRegistry.AdoptionError) in try supervisor.adopt(chair: chair, role: role) }
        if testFaults { logger.warning("test-only fault switches are enabled (--test-faults); not for clinical use") }
        let socketPath = configuration.socket.path
        let server = SocketServer(
            settings: configuration.socket,
            handler: CommandHandler(context: context),
            roles: RoleResolver(access: configuration.access, daemonUID: getuid()),
            logger: logger,
            onReady: { notifier.ready(status: "serving on \(socketPath)") },
            onStopping: { notifier.stopping() }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: AuditService(recorder: recorder, chairs: bridge, hub: hub, eventRun: eventRun, logger: logger)),
                    .init(service: ControlService(bridge: bridge, settings: configuration.control, logger: logger)),
                    .init(service: DeviceService(supervisor: supervisor)),
                    .init(service: server),
                    .init(service: WatchdogService(loop: loop, chairs: bridge, notifier: notifier, logger: logger)),
                    // Last, so it is the first to stop: it pauses the infusing pumps while everything else still
                    // runs (clients see the pause before their `shutdown` event; the records are written).
                    .init(service: PumpHaltService(bridge: bridge, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info(
            "infusiond starting",
            metadata: ["version": "\(WireProtocolVersion.daemonVersion)", "protocol": "\(WireProtocolVersion.current)"])
        try await group.run()
        logger.info("infusiond stopped")
    }

    /// Opens the audit store (creating its directory) and reads each chair's session from its last checkpoint,
    /// for the control loop to rebuild. A store that cannot be opened or read stops the start: running without
    /// records, or guessing a chair's state, is worse than not starting.
    private func openAudit(chairIDs: [String]) throws -> (AuditRecorder, RecoveryPlan) {
        let settings = configuration.audit
        try FileManager.default.createDirectory(atPath: settings.effectiveDirectory, withIntermediateDirectories: true)
        let store = try AuditStore(path: settings.databasePath, retainedJournalEvents: settings.journalRetainedEvents)
        let plan = try RecoveryPlan.load(from: store, chairIDs: chairIDs, now: ControlLoop.now())
        for chair in plan.chairs {
            logger.warning(
                "rebuilding a chair's session after a restart",
                metadata: [
                    "chair": "\(chairIDs[chair.index])", "state": "\(chair.checkpoint.state.rawValue)",
                    "outageSeconds": "\(chair.outage.components.seconds)",
                ])
        }
        logger.info("audit store open", metadata: ["path": "\(settings.databasePath)", "recoveredChairs": "\(plan.chairs.count)"])
        let reserve = AuditReserve(path: settings.reservePath, bytes: settings.reserveBytes)
        if settings.reserveBytes > 0 {
            if reserve.allocate() {
                logger.info("audit reserve set aside", metadata: ["path": "\(reserve.path)", "bytes": "\(reserve.bytes)"])
            } else {
                logger.warning(
                    "audit reserve could not be set aside: a full disk will hold records in memory at once",
                    metadata: ["path": "\(reserve.path)", "bytes": "\(reserve.bytes)", "kept": "\(reserve.stage)"])
            }
        }
        let writer = AuditWriter(
            store: store, capacity: settings.queueCapacity, byteCapacity: settings.queueBytes,
            maximumBatch: settings.maximumBatch, commitDelay: .milliseconds(settings.commitDelayMilliseconds),
            journalDelay: .milliseconds(settings.journalDelayMilliseconds),
            retryInterval: .milliseconds(Int64(settings.retrySeconds * 1000)), reserve: reserve)

        return (AuditRecorder(writer: writer, chairIDs: chairIDs, settings: settings), plan)
    }
}
