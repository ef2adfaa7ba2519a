internal import Synchronization
package import InfusionCore

/// The pump commands the core issued for one chair, waiting for the pump.
///
/// Unlike an `AsyncStream`, which finishes for good when a waiting task is cancelled, this queue
/// survives a lost link: the supervisor cancels its pump task when the device goes away, and
/// commands issued meanwhile (the core's pause on link loss) are still sent, in order, once the
/// pump is back.
///
/// The daemon makes one per chair before anything else and hands the same queues to the control bridge
/// (which pushes the core's commands) and the device supervisor (which sends them), so neither needs the other.
package final class PumpCommandQueue: Sendable {
    private struct State {
        var pending: [PumpCommand] = []
        var waiter: CheckedContinuation<PumpCommand?, Never>?
    }

    private let state = Mutex(State())

    package init() {}

    /// Queues `command`, or hands it to the waiting consumer. A halt already waiting last in the
    /// queue is not queued twice: the core repeats an unconfirmed halt, and while the pump is away
    /// its repeats must not pile up.
    package func push(_ command: PumpCommand) {
        let waiter = state.withLock { state -> CheckedContinuation<PumpCommand?, Never>? in
            guard let waiter = state.waiter else {
                if !(command.isHalt && state.pending.last == command) { state.pending.append(command) }
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: command)
    }

    /// The next command, waiting for one; nil when the calling task is cancelled (the command, if
    /// any, stays queued). One consumer at a time.
    func next() async -> PumpCommand? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PumpCommand?, Never>) in
                let ready = state.withLock { state -> PumpCommand?? in
                    if !state.pending.isEmpty { return .some(state.pending.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
