package import NIOCore

/// Runs a task's jobs on one NIO event loop, as its task executor.
///
/// Why: a client's connection task (reading its requests, awaiting the core's answer and the audit commit, queuing
/// the reply) then runs on the loop that reads its socket (the server's request loop). On Swift's shared pool each request cost a
/// pool wake-up to take the line from the loop and another to take the core's answer, both at normal priority and
/// so both late while watchers keep the machine busy (issue 21: socket command → pump wire p99 under load).
///
/// Work that must not block the loop (disk reads) already goes to GRDB's own threads and comes back here. The
/// executor does not keep itself alive: its owner (``SocketServer``) holds it for the server's life.
package final class EventLoopTaskExecutor: TaskExecutor {
    package let loop: any EventLoop

    package init(_ loop: any EventLoop) {
        self.loop = loop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
