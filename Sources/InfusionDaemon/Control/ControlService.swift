package import Logging
internal import ServiceLifecycle

/// Runs the control thread and its output dispatcher for the daemon's lifetime.
package struct ControlService: Service, CustomStringConvertible {
    package var description: String { "ControlService" }

    private let bridge: ControlBridge
    private let settings: ControlSettings
    private let logger: Logger

    package init(bridge: ControlBridge, settings: ControlSettings, logger: Logger) {
        self.bridge = bridge
        self.settings = settings
        self.logger = logger
    }

    package func run() async throws {
        let logger = self.logger
        let chairs = bridge.chairIDs.count
        bridge.loop.start(realtimePriority: settings.realtimePriority, lockMemory: settings.lockMemory) { scheduling in
            var metadata: Logger.Metadata = [
                "realtime": "\(scheduling.isRealtime)", "memoryLocked": "\(scheduling.isMemoryLocked)", "chairs": "\(chairs)",
            ]
            if let reason = scheduling.fallbackReason {
                metadata["reason"] = "\(reason)"
                logger.warning("control thread running without full real-time guarantees", metadata: metadata)
            } else {
                logger.info("control thread running", metadata: metadata)
            }
        }
        bridge.startDispatcher()
        try? await gracefulShutdown()
        bridge.loop.stop()
        while bridge.loop.isRunning { try? await Task.sleep(for: .milliseconds(5)) }
        logger.info("control thread stopped", metadata: ["ticks": "\(bridge.loop.tickCount)"])
    }
}
