internal import Synchronization

/// Jobs handed to one thread and run there in the order they were queued: any thread appends and rings the
/// thread's doorbell, and the thread takes everything queued at each wake-up. Used by the threads that serve a
/// pump (`PumpExecutor`) and publish the core's events (`FanOutWorker`).
final class ThreadJobQueue<Job: Sendable>: Sendable {
    private let queued = Mutex<(jobs: [Job], finished: Bool)>(([], false))
    private let bell = Doorbell()

    init() {}

    /// Queues `job` after everything queued before it.
    func append(_ job: Job) {
        queued.withLock { $0.jobs.append(job) }
        bell.ring()
    }

    /// Asks ``run(_:)`` to return once it has run what is queued (what is appended later may not run).
    func finish() {
        queued.withLock { $0.finished = true }
        bell.ring()
    }

    /// The thread's loop: performs each job in order, sleeping while none is queued, until ``finish()`` was called
    /// and nothing is left.
    func run(_ perform: (Job) -> Void) {
        var batch: [Job] = []
        batch.reserveCapacity(16)
        while true {
            bell.wait()
            while true {
                let finished = queued.withLock { state in
                    swap(&state.jobs, &batch)
                    return state.finished
                }
                if batch.isEmpty {
                    if finished { return }
                    break
                }
                for job in batch { perform(job) }
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
}
