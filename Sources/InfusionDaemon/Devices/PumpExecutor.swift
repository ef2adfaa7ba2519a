internal import Synchronization

/// The thread a chair's pump is served on: a serial executor (its `SerialPumpDriver` actor's) and a task executor
/// (the device supervisor's pump command loop prefers it), on a dedicated thread at the safety paths' priority
/// (`SafetyPathScheduling`).
///
/// Why: on Swift's shared cooperative pool a pump command waited behind whatever the pool was doing (client
/// requests, fan-out bookkeeping) and behind normal-priority threads for a core; here the dispatcher's push of a
/// command wakes this thread, which sends it at once. One per chair, as each port has its own reader thread: a
/// pump whose port stops taking bytes (a write waits up to 2 s) holds up no other chair. Jobs run in the order
/// they were enqueued. The thread ends once the executor is released (no driver, no task, no job refers to it).
package final class PumpExecutor: SerialExecutor, TaskExecutor {
    /// The executor of the chair whose pump is being served: the device supervisor binds it around a chair's pump
    /// service, and a driver opened inside takes it (one opened elsewhere, as in tests, gets a thread of its own).
    @TaskLocal package static var current: PumpExecutor?

    private let jobs = ThreadJobQueue<Queued>()

    package init() {
        let jobs = self.jobs
        RealtimeThread.start(name: "infusiond-pump", priority: SafetyPathScheduling.commandPriority, lockMemory: false) { _ in
            jobs.run { $0.job.runSynchronously(isolatedTo: $0.serial, taskExecutor: $0.task) }
        }
    }

    deinit { jobs.finish() }

    package func enqueue(_ job: consuming ExecutorJob) {
        jobs.append(Queued(job: UnownedJob(job), serial: asUnownedSerialExecutor(), task: asUnownedTaskExecutor()))
    }

    package func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// A job with the executors it runs isolated to. Unowned: the job itself keeps its actor or task, and so the
    /// executor, alive until it ran; the queue apart from the executor keeps the thread from keeping it alive.
    private struct Queued: @unchecked Sendable {
        var job: UnownedJob
        var serial: UnownedSerialExecutor
        var task: UnownedTaskExecutor
    }
}
