internal import CSystemd

/// Tells the service manager about the daemon's state through libsystemd's `sd_notify`. Without
/// `NOTIFY_SOCKET` in the environment every call is a no-op, so the daemon runs the same by hand.
package struct SystemdNotifier: Sendable {
    package init() {}

    /// The daemon is serving: `READY=1` with a status line.
    package func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
    }

    /// A human-readable status line for `systemctl status`.
    package func status(_ status: String) {
        send("STATUS=\(status)")
    }

    /// The daemon is alive and working (sent only by `WatchdogService`).
    package func watchdog() {
        send("WATCHDOG=1")
    }

    /// The daemon has begun shutting down.
    package func stopping() {
        send("STOPPING=1\nSTATUS=shutting down")
    }

    private func send(_ message: String) {
        _ = sd_notify(0, message)
    }
}
