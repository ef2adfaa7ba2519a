internal import ServiceLifecycle

/// Runs the chairs' device links for the daemon's lifetime. It stops after the socket (clients have had their
/// `shutdown` event) and after `PumpHaltService` paused the infusing pumps; the drivers close then, leaving
/// pump-side dead-man timers armed for a pump that did not confirm its halt.
package struct DeviceService: Service, CustomStringConvertible {
    private let supervisor: ChairDeviceSupervisor

    package init(supervisor: ChairDeviceSupervisor) {
        self.supervisor = supervisor
    }

    package var description: String { "DeviceService" }

    package func run() async throws {
        await cancelWhenGracefulShutdown { await supervisor.run() }
        // With no devices configured the supervisor has nothing to do; a service that returns early
        // would stop the whole daemon, so this one waits for shutdown like the others.
        try? await gracefulShutdown()
    }
}
