#if canImport(Glibc)
internal import Glibc
#endif
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
        let hub = EventHub()
        let loop = ControlLoop(
            chairCount: configuration.chairs.count, configuration: configuration.core,
            tickInterval: .nanoseconds(Int64(configuration.control.tickMilliseconds * 1_000_000)))
        let bridge = ControlBridge(loop: loop, chairIDs: configuration.chairs.map(\.id), hub: hub, logger: logger)
        let deviceLogger = logger
        let supervisor = ChairDeviceSupervisor(
            chairs: configuration.chairs, bridge: bridge, hub: hub, logger: logger, timing: configuration.devices,
            openPump: { try await DeviceDriverFactory.makePumpDriver(family: $0.family, path: $0.path, logger: deviceLogger) },
            openMonitor: {
                try await DeviceDriverFactory.makeMonitorDriver(family: $0.family, path: $0.path, logger: deviceLogger)
            })
        bridge.setPumpCommandSink { chair, command in supervisor.send(command, chair: chair) }
        var context = DaemonContext(
            hub: hub, control: bridge, core: configuration.core, startTime: .now,
            maxLineBytes: configuration.socket.maxLineBytes, devices: { supervisor.deviceSummaries })
        context.testFaultsEnabled = testFaults
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
                    .init(service: ControlService(bridge: bridge, settings: configuration.control, logger: logger)),
                    .init(service: DeviceService(supervisor: supervisor)),
                    .init(service: server),
                    .init(service: WatchdogService(bridge: bridge, notifier: notifier, logger: logger)),
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
}
