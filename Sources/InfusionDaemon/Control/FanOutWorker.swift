internal import Synchronization

/// Publishes the core's events to watchers on the output dispatcher's behalf: a thread of its own at normal
/// priority that runs what it is handed, in order.
///
/// Why: the dispatcher runs SCHED_FIFO on the safety path (it hands pump commands to the pumps and answers chair
/// commands), and publishing an event means encoding it and queuing it for every watcher, about 0.1 ms with 256 of
/// them. Done by the dispatcher, a command's answer waited for the fan-out of every event queued before it, its own
/// included (issue 21: the safety paths must not pay for the fan-out). The dispatcher still brings a chair's
/// status up to date before it hands over the event, so a client told of an event finds it in `status`; a
/// command's reply may now reach its client before the command's events do.
package final class FanOutWorker: Sendable {
    private let jobs = ThreadJobQueue<@Sendable () -> Void>()

    package init() {}

    /// Queues `job`; it runs on the worker's thread after everything queued before it.
    package func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.append(job)
    }

    /// Starts the worker's thread (`infusiond-fan`, normal priority); it ends after ``finish()``, once it has run
    /// everything queued.
    package func start() {
        let jobs = self.jobs
        RealtimeThread.start(name: "infusiond-fan", priority: nil, lockMemory: false) { _ in
            jobs.run { $0() }
        }
    }

    /// Asks the thread to end once it has run what is queued (what is submitted later may not run).
    package func finish() {
        jobs.finish()
    }
}
