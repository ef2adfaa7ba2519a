#if canImport(Glibc)
internal import Glibc
#endif
internal import CShims

/// How a dedicated thread ended up scheduled, for the log and for `status`.
package struct ThreadScheduling: Sendable, Equatable {
    /// True when the thread runs SCHED_FIFO.
    package var isRealtime: Bool
    /// True when the process's memory is locked (no page faults on the control path).
    package var isMemoryLocked: Bool
    /// Why real-time scheduling or memory locking was not granted, if it was not.
    package var fallbackReason: String?
}

/// Starts a dedicated OS thread (not a Swift concurrency task), asking for SCHED_FIFO at `priority`
/// and for locked memory; without the right it runs at normal priority and says why.
package enum RealtimeThread {
    /// Starts `body` on a new thread named `name`; `body` receives the scheduling it actually got.
    /// The thread is detached: `body` must return on its own when asked to stop.
    package static func start(
        name: String, priority: Int32?, lockMemory: Bool, body: @escaping @Sendable (ThreadScheduling) -> Void
    ) {
        let context = Unmanaged.passRetained(StartContext(name: name, priority: priority, lockMemory: lockMemory, body: body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<StartContext>.fromOpaque(raw!).takeRetainedValue()
            context.run()
            return nil
        }, context.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    private final class StartContext: @unchecked Sendable {
        let name: String
        let priority: Int32?
        let lockMemory: Bool
        let body: @Sendable (ThreadScheduling) -> Void

        init(name: String, priority: Int32?, lockMemory: Bool, body: @escaping @Sendable (ThreadScheduling) -> Void) {
            self.name = name
            self.priority = priority
            self.lockMemory = lockMemory
            self.body = body
        }

        func run() {
            cshim_set_current_thread_name(name)
            var reasons: [String] = []
            var realtime = false
            if let priority {
                let error = cshim_make_current_thread_fifo(priority)
                realtime = error == 0
                if !realtime { reasons.append("SCHED_FIFO \(priority) refused: \(String(cString: strerror(error)))") }
            } else {
                reasons.append("real-time priority disabled in configuration")
            }
            var locked = false
            if lockMemory {
                let error = cshim_lock_all_memory()
                locked = error == 0
                if !locked { reasons.append("mlockall refused: \(String(cString: strerror(error)))") }
            }
            body(ThreadScheduling(
                isRealtime: realtime, isMemoryLocked: locked,
                fallbackReason: reasons.isEmpty ? nil : reasons.joined(separator: "; ")))
        }
    }
}
