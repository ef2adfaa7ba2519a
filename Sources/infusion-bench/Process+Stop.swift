import Foundation

extension Process {
    /// SIGTERM, then waits for the exit (SIGKILL after 10 s): how the benchmark ends a daemon it started.
    func stopGracefully() {
        guard isRunning else { return }
        kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while isRunning, Date() < deadline { usleep(10_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
