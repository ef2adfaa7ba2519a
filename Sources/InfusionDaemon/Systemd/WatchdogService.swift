internal import CSystemd
package import Logging
internal import ServiceLifecycle

/// Feeds the systemd watchdog only while the daemon really works, and keeps `systemctl status`
/// current with a one-line summary of the chairs.
///
/// WATCHDOG=1 is sent only when the control thread's tick counter advanced since the last check and
/// this task itself got to run (the async runtime that services the device links and clients is not
/// stuck); a hung control thread therefore stops the pings and systemd restarts the daemon.
package struct WatchdogService: Service, CustomStringConvertible {
    package var description: String { "WatchdogService" }

    private let loop: ControlLoop
    private let chairs: any ChairStatusSource
    private let notifier: SystemdNotifier
    private let logger: Logger

    package init(loop: ControlLoop, chairs: any ChairStatusSource, notifier: SystemdNotifier, logger: Logger) {
        self.loop = loop
        self.chairs = chairs
        self.notifier = notifier
        self.logger = logger
    }

    /// The systemd watchdog's period, when systemd expects pings from this process (`WATCHDOG_USEC`); nil otherwise.
    package static func period() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    /// The longest idle tick that still lets every check see the tick counter move: half the interval between
    /// checks (a third of the period), so a tick that comes a little late still lands before the next check. Nil
    /// without a watchdog. The configured idle tick (500 ms by default) is shortened to this when it is longer, as
    /// with `WatchdogSec=` under 3 s.
    package static func longestIdleTick() -> Duration? { period().map { $0 / 6 } }

    package func run() async throws {
        let period = Self.period()
        // Check at a third of the watchdog period, so one late check does not miss the deadline.
        let interval: Duration = period.map { $0 / 3 } ?? .seconds(5)
        let enabled = period != nil
        if let period {
            logger.info("systemd watchdog enabled", metadata: ["periodMicroseconds": "\(period.nanosecondsClamped / 1_000)"])
        }
        // The sleep is cancelled at graceful shutdown, so stopping never waits out an interval.
        try? await cancelWhenGracefulShutdown { try await watch(interval: interval, pingSystemd: enabled) }
    }

    private func watch(interval: Duration, pingSystemd enabled: Bool) async throws {
        var lastTicks = loop.tickCount
        var lastStatus = ""
        while true {
            try await Task.sleep(for: interval)
            let ticks = loop.tickCount
            if ticks != lastTicks {
                if enabled { notifier.watchdog() }
            } else {
                logger.critical("control thread is not ticking; withholding the watchdog ping", metadata: ["ticks": "\(ticks)"])
            }
            lastTicks = ticks
            let status = Self.summary(chairs.chairSnapshots)
            if status != lastStatus {
                notifier.status(status)
                lastStatus = status
            }
        }
    }

    /// "3 chairs: 1 infusing, 1 paused (1 alarm), 1 idle".
    static func summary(_ chairs: [ChairSnapshot]) -> String {
        guard !chairs.isEmpty else { return "serving; no chairs configured" }
        var counts: [String: Int] = [:]
        for chair in chairs { counts[chair.core.state.rawValue, default: 0] += 1 }
        let states = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let alarms = chairs.reduce(0) { $0 + $1.alarmCount }
        return "\(chairs.count) chair\(chairs.count == 1 ? "" : "s"): \(states)" + (alarms > 0 ? "; \(alarms) active alarm\(alarms == 1 ? "" : "s")" : "")
    }
}
