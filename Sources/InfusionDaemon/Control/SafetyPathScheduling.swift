internal import Synchronization

/// The scheduling of the threads that carry the safety paths besides the control thread: every serial port's
/// reader (a monitor's frame in, a pump's reply in), the output dispatcher (a pump command out of the control
/// thread) and the pump executor (the command onto the wire).
///
/// They run SCHED_FIFO one step below the control thread, so a monitor frame → interlock pause or a command →
/// pump wire never waits for the threads that fan events out to watchers, write the audit store or serve
/// clients, which all run at normal priority (issue 21: the safety paths must not pay for the fan-out). Their
/// work is bounded by the devices' own rates (a serial line, a chair's decisions), so they cannot starve the
/// rest. Without the right to SCHED_FIFO they run at normal priority, as the control thread does.
package enum SafetyPathScheduling {
    /// 0: normal priority.
    private static let storedPriority = Atomic<Int32>(0)

    /// Sets the priority from the control thread's (`control.realtimePriority`; nil: normal priority). Call once
    /// at start-up, before any device opens: threads take the value they find when they start.
    package static func configure(controlPriority: Int32?) {
        storedPriority.store(controlPriority.map { max($0 - 1, 1) } ?? 0, ordering: .releasing)
    }

    /// The SCHED_FIFO priority for a safety-path thread, or nil for normal priority.
    package static var priority: Int32? {
        let value = storedPriority.load(ordering: .acquiring)
        return value > 0 ? value : nil
    }
}
