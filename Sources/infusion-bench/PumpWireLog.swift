import Foundation

/// A command the daemon sent to a pump, stamped when its bytes became readable on the pump's pty.
struct PumpWireEvent: Sendable {
    enum Command: Sendable, Equatable {
        /// `RAT` with a value (a query has none).
        case setRate
        /// `STP`: pause (or stop).
        case pause
        /// `RUN`: start or resume.
        case run
    }

    var chair: Int
    var command: Command
    /// CLOCK_MONOTONIC nanoseconds.
    var time: Int64
}

/// The state-changing commands pumps received, for the latency measurements to wait on. Written
/// by the device thread, read by the measuring thread.
final class PumpWireLog: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [PumpWireEvent] = []

    func record(_ event: PumpWireEvent) {
        condition.lock()
        events.append(event)
        if events.count > 100_000 { events.removeFirst(50_000) }
        condition.broadcast()
        condition.unlock()
    }

    /// The first `command` on `chair` stamped at or after `start`, waiting up to `timeout` seconds.
    func first(_ command: PumpWireEvent.Command, chair: Int, after start: Int64, timeout: Double) -> PumpWireEvent? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let match = earliest(command, chair: chair, after: start) { return match }
            guard condition.wait(until: deadline) else { return nil }
        }
    }

    /// Events are appended in time order, so the search walks back only to `start`.
    private func earliest(_ command: PumpWireEvent.Command, chair: Int, after start: Int64) -> PumpWireEvent? {
        var found: PumpWireEvent?
        for event in events.reversed() {
            if event.time < start { break }
            if event.chair == chair, event.command == command { found = event }
        }
        return found
    }
}
