internal import Foundation
package import InfusionCore
package import Logging
internal import Synchronization
internal import NIOCore
package import WireProtocol

/// The meeting point of the async world and the control thread: submits operator commands and
/// device inputs, and dispatches the core's decisions — results to the waiting client, events to
/// watchers, pump commands to the chair's devices — from a dispatcher thread of its own, so a slow
/// client or device never reaches the control thread.
package final class ControlBridge: Sendable {
    package let loop: ControlLoop
    /// Chair identifiers, by index.
    package let chairIDs: [String]
    private let hub: EventHub
    private let logger: Logger
    /// An operator command waiting for the core's answer: who to tell, and what to record of it first.
    private struct Waiting {
        var continuation: CheckedContinuation<RecordedResult, Never>
        var audit: CommandAudit?
    }

    private let pending = Mutex<[String: Waiting]>([:])
    private let commandCounter = Atomic<UInt64>(1)
    private let snapshots: Mutex<[ChairSnapshot]>
    /// Checkpoints taken off the loop's queue (their status already shown) and not yet recorded: they are recorded
    /// after the decisions they follow, at a command's result or once the queue is drained, so the audit log keeps
    /// a checkpoint behind the events that led to it. Touched by the dispatcher thread only; the lock is uncontended.
    private let heldCheckpoints = Mutex<[ChairStateOutput]>([])
    /// Each chair's pump command queue, drained by the device supervisor; nil where no devices are driven
    /// (tests, benchmarks): the commands are then only published.
    private let pumpQueues: [PumpCommandQueue]?
    /// How long a client waits for the control thread's answer before it is told the daemon failed.
    private let resultTimeout: Duration
    /// Where decisions, device inputs and checkpoints are recorded; nil runs without an audit store (tests, bench).
    package let recorder: AuditRecorder?
    /// Publishes the core's events to watchers, off the dispatcher's thread.
    private let fanOut = FanOutWorker()

    package init(
        loop: ControlLoop, chairIDs: [String], hub: EventHub, logger: Logger, recorder: AuditRecorder? = nil,
        pumpQueues: [PumpCommandQueue]? = nil, resultTimeout: Duration = .seconds(2)
    ) {
        precondition(pumpQueues.map { $0.count == chairIDs.count } ?? true, "one pump command queue per chair")
        self.loop = loop
        self.pumpQueues = pumpQueues
        self.recorder = recorder
        self.chairIDs = chairIDs
        self.hub = hub
        self.logger = logger
        self.resultTimeout = resultTimeout
        snapshots = Mutex(chairIDs.map(ChairSnapshot.init(id:)))
    }

    /// Asks the control loop to rebuild `chair` from `checkpoint` when it starts, and shows the chair in `status`
    /// as the rebuild will leave it until the loop has run: its restore pauses an infusing session at once, so
    /// that is what status says from the first moment.
    package func restore(chair: Int, from checkpoint: ChairCheckpoint, outage: Duration) {
        guard let preview = loop.restore(chair: chair, from: checkpoint, outage: outage) else { return }
        snapshots.withLock { $0[chair].update(preview) }
    }

    /// The index of chair `id`, if configured.
    package func chairIndex(of id: String) -> Int? { chairIDs.firstIndex(of: id) }

    /// The chairs as `status` shows them.
    package var chairSnapshots: [ChairSnapshot] { snapshots.withLock { $0 } }

    /// Feeds a device input (vital, pump observation, link change) to a chair's core. A vital is also
    /// taken into the chair's snapshot (`ChairSnapshot.record(_:)`), so `status` shows every reading
    /// with its age.
    package func submit(_ input: CoreInput, chair: Int) {
        submit([input], chair: chair)
    }

    /// Queues `inputs` for the chair's core with one wake-up of the control loop.
    package func submit(_ inputs: [CoreInput], chair: Int) {
        let now = ControlLoop.now()
        for input in inputs { recorder?.record(input, chair: chair, time: now) }
        snapshots.withLock { snapshots in
            for case .vital(let vital) in inputs { snapshots[chair].record(vital) }
        }
        let refused = loop.submit(inputs.map { ChairInput(chair: chair, input: $0) })
        if refused > 0 {
            logger.error("control input queue full; input dropped", metadata: ["chair": "\(chairIDs[chair])", "dropped": "\(refused)"])
        }
    }

    /// What an operator command's audit record holds besides its outcome.
    package struct CommandAudit: Sendable {
        package var request: Request
        package var actor: AuditActor

        package init(request: Request, actor: AuditActor) {
            self.request = request
            self.actor = actor
        }
    }

    /// The core's answer to a command, and whether its audit record is durable.
    package struct RecordedResult: Sendable {
        package var result: CommandResult
        /// Why the command's record is not durable; nil once it is, or when nothing was to be recorded.
        package var notDurable: AuditWriterError?
    }

    /// Runs an operator action on a chair's core and returns the core's answer.
    package func perform(_ action: OperatorAction, chair: Int, operatorID: String) async -> CommandResult {
        await perform(action, chair: chair, operatorID: operatorID, audit: nil).result
    }

    /// Runs an operator action on a chair's core and returns the core's answer once the command's audit record
    /// (`audit`, with the answer's outcome) is durable or has failed to be. The dispatcher queues that record the
    /// moment the core answers, right after the checkpoint holding the command's effect, so the commit starts
    /// without waiting for the caller to be scheduled again; without a recorder nothing is recorded.
    package func perform(
        _ action: OperatorAction, chair: Int, operatorID: String, audit: CommandAudit?
    ) async -> RecordedResult {
        let id = "c\(commandCounter.wrappingAdd(1, ordering: .relaxed).oldValue)"
        let command = OperatorCommand(id: id, operatorID: operatorID, action: action)
        return await withCheckedContinuation { continuation in
            pending.withLock { $0[id] = Waiting(continuation: continuation, audit: audit) }
            guard loop.submit(ChairInput(chair: chair, input: .command(command))) else {
                resolve(id, chair: chair, CommandResult(commandID: id, error: CoreError(code: "busy", message: "the control thread's input queue is full")))
                return
            }
            let timeout = resultTimeout
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.resolve(id, chair: chair, CommandResult(
                    commandID: id, error: CoreError(code: "internal", message: "the control thread did not answer in time")))
            }
        }
    }

    /// Starts the dispatcher thread; it ends after the control loop has stopped and been drained.
    package func startDispatcher() {
        fanOut.start()
        RealtimeThread.start(name: "infusiond-out", priority: SafetyPathScheduling.commandPriority, lockMemory: false) { _ in
            var backlog = CircularBuffer<ChairOutput>(initialCapacity: 256)
            while true {
                // No timeout: the loop rings for every output and once more when it stops.
                self.loop.outputBell.wait()
                // Outputs first (pump commands are latency-bound); a result records its checkpoints itself.
                self.takeOutputs(into: &backlog)
                while let item = backlog.popFirst() {
                    self.route(item)
                    self.takeOutputs(into: &backlog)
                }
                self.recordCheckpoints()
                if !self.loop.isRunning { break }
            }
            self.fanOut.finish()
        }
    }

    /// Moves every output the loop queued to `backlog`, handing each pump command to its chair's pump at once. So a
    /// pump command waits for at most the one output being routed when it arrived, not for the audit records and
    /// fan-out of all those queued before it (32 chairs' events, each to every watcher: issue 21, command → wire
    /// under load).
    private func takeOutputs(into backlog: inout CircularBuffer<ChairOutput>) {
        while let item = loop.outputs.dequeue() {
            if case .pump(let command) = item.output { pumpQueues?[item.chair].push(command) }
            backlog.append(item)
        }
    }

    /// Answers the command `id` (once: a late answer after the timeout finds nobody), recording it first when asked.
    private func resolve(_ id: String, chair: Int, _ result: CommandResult) {
        guard let waiting = pending.withLock({ $0.removeValue(forKey: id) }) else { return }
        guard let audit = waiting.audit, let recorder else {
            return waiting.continuation.resume(returning: RecordedResult(result: result))
        }
        recorder.recordCommand(
            audit.request, chair: chairIDs[chair], outcome: result.error, actor: audit.actor, time: ControlLoop.now()
        ) { stored in
            var notDurable: AuditWriterError?
            if case .failure(let why) = stored { notDurable = why }
            waiting.continuation.resume(returning: RecordedResult(result: result, notDurable: notDurable))
        }
    }

    /// Shows each chair's status the loop queued, holding its checkpoint for `recordCheckpoints()`.
    private func takeChairStates() {
        while let item = loop.chairStates.dequeue() {
            snapshots.withLock { $0[item.chair].update(item.status) }
            heldCheckpoints.withLock { $0.append(item) }
        }
    }

    /// Hands every checkpoint taken so far to the recorder (or discards them without one).
    private func recordCheckpoints() {
        takeChairStates()
        for item in heldCheckpoints.withLock({ held in defer { held.removeAll(keepingCapacity: true) }; return held }) {
            recorder?.record(item.checkpoint, chair: item.chair, time: item.time, urgent: item.urgent)
        }
    }

    private func route(_ item: ChairOutput) {
        let chairID = chairIDs[item.chair]
        // A pump command was handed to the pump already, when it was taken off the loop's queue (`takeOutputs`).
        recorder?.record(item.output, chair: item.chair, time: item.time)
        switch item.output {
        case .result(let result):
            // The checkpoint holding this command's effect was queued before the result: record it first, so
            // the command's own durable record commits it too.
            recordCheckpoints()
            resolve(result.commandID, chair: item.chair, result)
        case .event(let event):
            // The status including this event was queued before it: a client told of the event sees it in status.
            takeChairStates()
            let clock = WallClockAnchor.now()
            fanOut.submit { [hub] in event.publish(on: hub, chair: chairID, clock: clock) }
        case .pump(let command):
            fanOut.submit { [hub] in
                hub.publish(.pumpCommand, data: ChairEventData(chair: chairID, detail: DeviceWire.command(command)))
            }
        }
    }
}
