internal import Synchronization

/// The scheduling of the threads that carry the safety paths besides the control thread: the output dispatcher
/// and each chair's pump executor (a pump command out of the control thread and onto the wire), and every serial
/// port's reader (a monitor's frame in, a pump's reply in).
///
/// They run SCHED_FIFO below the control thread, so a monitor frame → interlock pause or a command → pump wire
/// never waits for the threads that fan the core's events out to watchers (`FanOutWorker`) or serve clients (the
/// event loops), which run under normal scheduling (issue 21: the safety paths must not pay for the fan-out).
/// The command side (`commandPriority`: dispatcher, pump executors) runs one step below the control thread and the
/// port readers (`readerPriority`) one step lower still: a reader also hands each reading to the watchers, and among
/// SCHED_FIFO threads of one priority none preempts another, so a pause on its way out would otherwise queue
/// behind other chairs' readings being fanned out. The audit writer (`auditPriority`) runs one step below the
/// readers: a chair command is answered only once its record is committed, and at normal priority that commit
/// waited behind the watchers' clients for milliseconds under load (issue 21: durable reply p99). Their work is
/// bounded by the devices' own rates (a serial line, a chair's decisions, the records and events those make), so
/// they cannot starve the rest; the writer mostly sleeps in `fdatasync`. Without the right to SCHED_FIFO they run
/// at normal priority, as the control thread does.
package enum SafetyPathScheduling {
    /// The control thread's priority as configured; 0: normal priority.
    private static let controlPriority = Atomic<Int32>(0)

    /// Sets the priorities from the control thread's (`control.realtimePriority`; nil: normal priority). Call
    /// once at start-up, before any device opens: threads take the value they find when they start.
    package static func configure(controlPriority: Int32?) {
        Self.controlPriority.store(controlPriority ?? 0, ordering: .releasing)
    }

    /// The SCHED_FIFO priority of the output dispatcher and the pump executors, or nil for normal priority.
    package static var commandPriority: Int32? { below(by: 1) }

    /// The SCHED_FIFO priority of the serial port readers, or nil for normal priority.
    package static var readerPriority: Int32? { below(by: 2) }

    /// The SCHED_FIFO priority of the audit writer, or nil for normal priority.
    package static var auditPriority: Int32? { below(by: 3) }

    /// The nice value of the socket's request loop, or nil to leave it as it is (no real-time priority configured).
    /// It reads every client's requests and writes the replies of clients that do not watch, so a command's way in
    /// and its durable reply's way out pass through it; it stays under normal scheduling, where a flood from a
    /// client cannot starve the host (`LimitNICE=-10` in the unit). The loops that write watchers' lines keep the
    /// default nice value (`SocketServer`).
    package static var eventLoopNice: Int32? { controlPriority.load(ordering: .acquiring) > 0 ? -10 : nil }

    private static func below(by steps: Int32) -> Int32? {
        let control = controlPriority.load(ordering: .acquiring)
        return control > 0 ? max(control - steps, 1) : nil
    }
}
