package import Logging
internal import ServiceLifecycle
internal import Synchronization
internal import WireProtocol

/// Runs the audit writer for the daemon's lifetime and turns its health into the core's technical alarm.
///
/// Listed first in the service group so it stops last: the other services' final records are written
/// before the store closes.
package struct AuditService: Service, CustomStringConvertible {
    package var description: String { "AuditService" }

    private let recorder: AuditRecorder
    private let chairs: any ChairInputSink
    private let hub: EventHub
    /// The first event number of this daemon's run, closed cleanly at the end if every event was journalled.
    private let eventRun: UInt64
    private let logger: Logger
    private let checkInterval: Duration

    package init(
        recorder: AuditRecorder, chairs: any ChairInputSink, hub: EventHub, eventRun: UInt64, logger: Logger,
        checkInterval: Duration = .seconds(5)
    ) {
        self.recorder = recorder
        self.chairs = chairs
        self.hub = hub
        self.eventRun = eventRun
        self.logger = logger
        self.checkInterval = checkInterval
    }

    package func run() async throws {
        let writer = recorder.writer
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            group.addTask {
                try? await cancelWhenGracefulShutdown { try await self.watchHealth() }
                writer.finish()
            }
        }
        let status = writer.status
        // A clean end lets the next run continue the numbering without a gap; otherwise it starts past this run.
        let cleanEnd = (try? writer.store.endEventRun(start: eventRun, lastSequence: hub.lastSequence)) ?? false
        logger.notice(
            "audit store closed",
            metadata: [
                "written": "\(status.written)", "dropped": "\(status.dropped)", "held": "\(status.held)",
                "eventsDropped": "\(status.eventsDropped)", "eventRunClosed": "\(cleanEnd)",
                "anchor": "\(status.lastSequence.map(String.init) ?? "-"):\(status.lastHash ?? "-")",
            ])
    }

    /// Tells every chair's core when record keeping fails or recovers, and says so to watchers and the log. It
    /// looks when the writer says its health may have changed (``AuditWriter/healthChanges``), and every
    /// `checkInterval` as a safety net; the writer's signal makes the alarm prompt without a fast poll.
    /// Once a minute it also logs the newest record's anchor: the journal is a second place that knows how far
    /// the log reached, so a log cut back afterwards fails `audit verify --anchor`.
    private func watchHealth() async throws {
        let healthy = ToldHealth()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in self.recorder.writer.healthChanges { self.checkHealth(healthy) }
            }
            group.addTask {
                var loggedAnchor: Int64?
                var lastAnchorLog = ContinuousClock.now
                while true {
                    try await Task.sleep(for: self.checkInterval)
                    self.checkHealth(healthy)
                    let status = self.recorder.writer.status
                    if ContinuousClock.now - lastAnchorLog >= .seconds(60), let sequence = status.lastSequence,
                        sequence != loggedAnchor, let hash = status.lastHash
                    {
                        self.logger.notice("audit anchor", metadata: ["anchor": "\(sequence):\(hash)"])
                        loggedAnchor = sequence
                        lastAnchorLog = ContinuousClock.now
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Compares the writer's health with what the chairs were last told, and tells them of a change.
    private func checkHealth(_ told: ToldHealth) {
        let status = recorder.writer.status
        let nowHealthy = status.health == .healthy
        let changed = told.healthy.withLock { healthy in
            defer { healthy = nowHealthy }
            return healthy != nowHealthy
        }
        guard changed else { return }
        for chair in chairs.chairIDs.indices { chairs.submit(.recordKeeping(isHealthy: nowHealthy), chair: chair) }
        var reason = "healthy"
        if case .degraded(let why) = status.health { reason = why }
        let text = nowHealthy
            ? "audit store healthy again; \(status.dropped) records were lost in all"
            : "audit store degraded: \(reason); \(status.held) records held, \(status.dropped) lost"
        hub.publish(.notice, data: Notice(text: text, from: 0))
        if nowHealthy { logger.notice("\(text)") } else { logger.error("\(text)") }
    }
}

/// What the chairs were last told of record keeping, shared by the health watch's two tasks.
private final class ToldHealth: Sendable {
    let healthy = Mutex(true)
}
