internal import Synchronization

/// The device one chair role should talk to now, and a way to wait for it to change.
///
/// A fixed-path slot always has its target. A udev slot gets one when discovery decides to drive a
/// device (`assign`) and loses it when the device is unplugged (`withdraw`); each assignment has a
/// new generation, so a supervisor can tell "my device went away" from "still the same device".
final class DeviceSlot: Sendable {
    /// What to open.
    struct Target: Sendable, Hashable {
        var path: String
        /// The udev device, for fixed paths nil.
        var identity: DeviceIdentity?
        var generation: UInt64
    }

    private struct State {
        var target: Target?
        var version: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state: Mutex<State>

    /// A slot with a permanent target at `fixedPath`, or, with nil, an empty udev slot.
    init(fixedPath: String?) {
        state = Mutex(State(target: fixedPath.map { Target(path: $0, identity: nil, generation: 0) }))
    }

    /// The current target.
    var target: Target? { state.withLock { $0.target } }

    /// Points the slot at `identity`'s node; whoever runs the old target sees it withdrawn.
    func assign(_ identity: DeviceIdentity) {
        change { state in
            Target(path: identity.devnode, identity: identity, generation: state.version + 1)
        }
    }

    /// The device is gone.
    func withdraw() {
        change { _ in nil }
    }

    /// Waits until the slot has a target and returns it; nil when the task is cancelled.
    func nextTarget() async -> Target? {
        while !Task.isCancelled {
            let (target, version) = state.withLock { ($0.target, $0.version) }
            if let target { return target }
            await waitForChange(after: version)
        }
        return nil
    }

    /// Returns once `target` is no longer the slot's target (withdrawn or replaced), or on cancellation.
    func waitUntilWithdrawn(_ target: Target) async {
        while !Task.isCancelled {
            let (current, version) = state.withLock { ($0.target, $0.version) }
            if current != target { return }
            await waitForChange(after: version)
        }
    }

    private func change(_ makeTarget: (State) -> Target?) {
        let waiters = state.withLock { state in
            state.target = makeTarget(state)
            state.version += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitForChange(after version: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.version != version || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
