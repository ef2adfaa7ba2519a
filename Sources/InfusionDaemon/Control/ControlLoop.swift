internal import CShims
package import InfusionCore
internal import Synchronization

/// An input for one chair's core.
package struct ChairInput: Sendable {
    package var chair: Int
    package var input: CoreInput
    package init(chair: Int, input: CoreInput) {
        self.chair = chair
        self.input = input
    }
}

/// An output of one chair's core, with the instant it was decided.
package struct ChairOutput: Sendable {
    package var chair: Int
    package var output: CoreOutput
    package var time: MonotonicInstant
}

/// A chair as the core left it right after deciding something: its checkpoint for the audit store (crash
/// recovery) and its outward status for the displays (`status`).
package struct ChairStateOutput: Sendable {
    package var chair: Int
    package var checkpoint: ChairCheckpoint
    package var status: OutwardChairStatus
    package var time: MonotonicInstant
    /// A command was answered or the session changed state: the recorder keeps this one whatever its thinning.
    package var urgent: Bool
}

/// The control thread: owns every chair's `ChairCore` and nothing else touches them.
///
/// It sleeps until its next tick or until an input rings its doorbell, whichever is first, so a
/// command does not wait for a tick. While every chair is quiescent (`ChairCore.isQuiescent`: time alone
/// changes nothing, as in a chair with no patient) it ticks at the slower idle period instead: a clinic's
/// empty chairs then cost a few wake-ups a second, not a hundred, and an input still wakes it at once, with
/// one exception: a continuous vital of a chair the loop last found quiescent does not ring (see
/// ``submit(_:)-([ChairInput])``). Inputs
/// and outputs cross through lock-free bounded queues; in
/// steady state the loop neither locks, logs nor does I/O beyond ringing the output doorbell.
/// `ticks` advances only while the loop really runs: the systemd watchdog is fed from it.
package final class ControlLoop: Sendable {
    private let chairCount: Int
    private let configuration: CoreConfiguration
    private let chairConfigurations: [CoreConfiguration]
    private let tickNanoseconds: Int64
    /// The tick period while every chair is quiescent.
    private let idleTickNanoseconds: Int64
    private let inputs: BoundedQueue<ChairInput>
    /// Decisions waiting for the dispatcher.
    package let outputs: BoundedQueue<ChairOutput>
    /// Each chair's state after a decision, queued before the decisions it follows, so a command's result never
    /// overtakes the checkpoint that records its effect, nor an event the status that includes it.
    package let chairStates: BoundedQueue<ChairStateOutput>
    /// Sessions to rebuild when the loop starts (crash recovery); set before `start`.
    private let restorations = Mutex<[(chair: Int, checkpoint: ChairCheckpoint, outage: Duration)]>([])
    private let inputBell = Doorbell()
    /// Rung whenever outputs were queued.
    package let outputBell = Doorbell()
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let ticks = Atomic<UInt64>(0)
    private let missedTicks = Atomic<UInt64>(0)
    private let droppedOutputs = Atomic<UInt64>(0)
    private let refusedInputs = Atomic<UInt64>(0)
    private let handledInputs = Atomic<UInt64>(0)
    private let stalledForTesting = Atomic<Bool>(false)
    /// Per chair, whether the loop last left it quiescent (`ChairCore.isQuiescent`); false until it first ran.
    private let quiescentChairs: [QuiescenceFlag]
    /// Wake-up latency of each tick (ns after its scheduled instant), in a ring the loop overwrites;
    /// preallocated so recording costs no allocation. Read by the benchmark after the loop stops.
    // nonisolated(unsafe): written only by the control thread, read only after it stopped.
    nonisolated(unsafe) private let latencySamples: UnsafeMutableBufferPointer<Int64>
    private let latencyCount = Atomic<Int>(0)

    /// Completed ticks since start: the health counter the systemd watchdog is fed from.
    package var tickCount: UInt64 { ticks.load(ordering: .acquiring) }
    /// Tick instants that passed without their own tick because the thread woke a whole period or
    /// more late (the loop then resumes its cadence instead of ticking in a burst).
    package var missedTickCount: UInt64 { missedTicks.load(ordering: .relaxed) }
    /// Outputs that found the output queue full (each one is a reason to distrust the daemon).
    package var droppedOutputCount: UInt64 { droppedOutputs.load(ordering: .relaxed) }
    /// Inputs refused because the input queue was full.
    package var refusedInputCount: UInt64 { refusedInputs.load(ordering: .relaxed) }
    /// Inputs the loop has handled (taken off its queue and given to their chair's core).
    package var handledInputCount: UInt64 { handledInputs.load(ordering: .acquiring) }

    /// `chairConfigurations[i]`, when given, is chair `i`'s own (its default syringe, its pump's
    /// capabilities); otherwise every chair has `configuration`. `idleTickInterval` (at least
    /// `tickInterval`) is the period while every chair is quiescent; keep it well under the watchdog's check
    /// period, which the tick counter feeds.
    package init(
        chairCount: Int, configuration: CoreConfiguration, tickInterval: Duration,
        idleTickInterval: Duration = .milliseconds(500), queueCapacity: Int = 4096,
        chairConfigurations: [CoreConfiguration] = []
    ) {
        self.chairCount = chairCount
        self.configuration = configuration
        self.chairConfigurations = chairConfigurations
        self.tickNanoseconds = max(tickInterval.nanosecondsClamped, 1_000_000)
        self.idleTickNanoseconds = max(idleTickInterval.nanosecondsClamped, tickNanoseconds)
        inputs = BoundedQueue(minimumCapacity: queueCapacity)
        outputs = BoundedQueue(minimumCapacity: queueCapacity)
        // A checkpoint with its status is 2.7 KB and a chair queues at most one per loop pass. The dispatcher that
        // drains it runs SCHED_FIFO right below this thread (SafetyPathScheduling) and takes every state on each
        // wake-up, so 8 passes of every chair is room enough (2.8 MB of locked memory at 32 passes; sized like
        // the other queues, 11 MB). A state that finds it full is dropped and counted, and the chair's next
        // state, which includes its effect, replaces it.
        chairStates = BoundedQueue(minimumCapacity: min(queueCapacity, max(64, chairCount * 8)))
        quiescentChairs = (0..<chairCount).map { _ in QuiescenceFlag() }
        latencySamples = .allocate(capacity: 1 << 13)
        latencySamples.initialize(repeating: 0)
    }

    deinit { latencySamples.deallocate() }

    /// The most recent ticks' wake-up latencies in nanoseconds (up to 8,192: the benchmark's 30 s at 10 ms take
    /// 3,000; the ring is locked memory). Call after `stop()`.
    package func recordedWakeUpLatencies() -> [Int64] {
        let count = min(latencyCount.load(ordering: .acquiring), latencySamples.count)
        return Array(latencySamples.prefix(count))
    }

    /// The monotonic clock as the core sees it.
    package static func now() -> MonotonicInstant {
        MonotonicInstant(nanoseconds: cshim_monotonic_now_ns())
    }

    /// Queues an input and wakes the loop. Returns false when the queue is full.
    @discardableResult
    package func submit(_ input: ChairInput) -> Bool {
        submit([input]) == 0
    }

    /// Queues `inputs` in order and wakes the loop once. Returns how many were refused (a full queue, or a chair
    /// out of range); the others are queued.
    ///
    /// A batch of nothing but continuous vitals (not cuff pressures) of chairs the loop last left quiescent does not
    /// wake it: they wait for its next pass, at most the idle tick period. In such a chair no patient is watched, so a
    /// reading can raise nothing, and it carries its own time (`VitalSign.time`), so handling it later records the
    /// same; the order of inputs is kept, and `status` shows readings from the chair's snapshot at once. If the chair
    /// stops being quiescent meanwhile (an `intake` just handled), the loop is ticking at the full rate from then on,
    /// so the reading waits one tick at most. A monitor's readings in an empty chair then cost no control-thread
    /// wake-up each (issue 21, docs/PERFORMANCE.md seventh round).
    @discardableResult
    package func submit(_ batch: [ChairInput]) -> Int {
        var refused = 0
        var mayWait = true
        for input in batch {
            mayWait = mayWait && canWaitForNextPass(input)
            guard input.chair >= 0, input.chair < chairCount else {
                refused += 1
                continue
            }
            guard inputs.enqueue(input) else {
                refusedInputs.wrappingAdd(1, ordering: .relaxed)
                refused += 1
                continue
            }
        }
        if refused < batch.count, !mayWait { inputBell.ring() }
        return refused
    }

    /// Whether `input` may wait for the loop's next pass (see ``submit(_:)-([ChairInput])``).
    private func canWaitForNextPass(_ input: ChairInput) -> Bool {
        guard case .vital(let vital) = input.input, !vital.parameter.isIntermittent,
            quiescentChairs.indices.contains(input.chair)
        else { return false }
        return quiescentChairs[input.chair].isQuiescent.load(ordering: .acquiring)
    }

    /// Asks the loop to rebuild `chair`'s session from `checkpoint` when it starts; call before ``start``.
    /// Returns the chair as the rebuild will leave it, for `status` to show until the loop has run: a scratch
    /// core restored now, as the loop's own will be.
    @discardableResult
    package func restore(chair: Int, from checkpoint: ChairCheckpoint, outage: Duration) -> OutwardChairStatus? {
        guard chair >= 0, chair < chairCount else { return nil }
        restorations.withLock { $0.append((chair, checkpoint, outage)) }
        var preview = makeCore(chair: chair)
        var discarded: [CoreOutput] = []
        preview.restore(checkpoint, outage: outage, at: Self.now(), into: &discarded)
        return preview.outwardStatus
    }

    /// The core of `chair`, under its own configuration.
    private func makeCore(chair: Int) -> ChairCore {
        ChairCore(configuration: chair < chairConfigurations.count ? chairConfigurations[chair] : configuration)
    }

    /// Starts the loop on its own thread; `onStarted` reports the scheduling it got.
    package func start(
        realtimePriority: Int32?, lockMemory: Bool, onStarted: @escaping @Sendable (ThreadScheduling) -> Void
    ) {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        RealtimeThread.start(name: "infusiond-ctl", priority: realtimePriority, lockMemory: lockMemory) { scheduling in
            onStarted(scheduling)
            self.run()
        }
    }

    /// Asks the loop to return after its current iteration.
    package func stop() {
        stopRequested.store(true, ordering: .releasing)
        inputBell.ring()
    }

    /// Test-only fault switch (`infusiond --test-faults`): holds the loop as a hung thread would, so
    /// tests can watch the systemd watchdog go quiet. Never reachable without that flag.
    package func stallForTesting(_ stalled: Bool) {
        stalledForTesting.store(stalled, ordering: .releasing)
        inputBell.ring()
    }

    /// Whether the loop thread is running.
    package var isRunning: Bool { running.load(ordering: .acquiring) }

    private func run() {
        var chairs = (0..<chairCount).map(makeCore)
        var decisions: [CoreOutput] = []
        decisions.reserveCapacity(256)
        var nextTick = cshim_monotonic_now_ns() + tickNanoseconds
        let started = MonotonicInstant(nanoseconds: cshim_monotonic_now_ns())
        for restoration in restorations.withLock({ $0 }) {
            chairs[restoration.chair].restore(restoration.checkpoint, outage: restoration.outage, at: started, into: &decisions)
            _ = flush(&decisions, core: chairs[restoration.chair], chair: restoration.chair, time: started)
        }
        outputBell.ring()
        while !stopRequested.load(ordering: .acquiring) {
            while stalledForTesting.load(ordering: .acquiring), !stopRequested.load(ordering: .acquiring) {
                inputBell.wait(until: cshim_monotonic_now_ns() + tickNanoseconds)
            }
            inputBell.wait(until: nextTick)
            var now = MonotonicInstant(nanoseconds: cshim_monotonic_now_ns())
            var produced = false
            while let item = inputs.dequeue() {
                chairs[item.chair].handle(item.input, at: now, into: &decisions)
                produced = flush(&decisions, core: chairs[item.chair], chair: item.chair, time: now) || produced
                _ = noteQuiescence(of: chairs[item.chair], chair: item.chair)
                handledInputs.wrappingAdd(1, ordering: .releasing)
            }
            now = MonotonicInstant(nanoseconds: cshim_monotonic_now_ns())
            if now.nanoseconds >= nextTick {
                let recorded = latencyCount.load(ordering: .relaxed)
                latencySamples[recorded & (latencySamples.count - 1)] = now.nanoseconds - nextTick
                latencyCount.store(recorded + 1, ordering: .releasing)
                var everyChairQuiescent = true
                for index in 0..<chairCount {
                    chairs[index].handle(.tick, at: now, into: &decisions)
                    produced = flush(&decisions, core: chairs[index], chair: index, time: now) || produced
                    everyChairQuiescent = noteQuiescence(of: chairs[index], chair: index) && everyChairQuiescent
                }
                ticks.wrappingAdd(1, ordering: .releasing)
                let period = everyChairQuiescent ? idleTickNanoseconds : tickNanoseconds
                nextTick += period
                // After a stall (debugger, suspended VM) resume the cadence instead of ticking in a burst.
                if nextTick <= now.nanoseconds {
                    missedTicks.wrappingAdd(UInt64((now.nanoseconds - nextTick) / period) + 1, ordering: .relaxed)
                    nextTick = now.nanoseconds + period
                }
            } else if nextTick - now.nanoseconds > tickNanoseconds, !Self.everyChairQuiescent(chairs) {
                // An input woke a chair out of quiescence during an idle period: full-rate ticks from now on.
                nextTick = now.nanoseconds + tickNanoseconds
            }
            if produced { outputBell.ring() }
        }
        running.store(false, ordering: .releasing)
        outputBell.ring()
    }

    /// Publishes whether `core` is quiescent now, for ``submit(_:)-([ChairInput])``, and returns it; allocation-free.
    private func noteQuiescence(of core: borrowing ChairCore, chair: Int) -> Bool {
        let quiescent = core.isQuiescent
        quiescentChairs[chair].isQuiescent.store(quiescent, ordering: .releasing)
        return quiescent
    }

    /// Whether time alone changes no chair; allocation-free.
    private static func everyChairQuiescent(_ chairs: [ChairCore]) -> Bool {
        for index in chairs.indices where !chairs[index].isQuiescent { return false }
        return true
    }

    /// Queues the chair's checkpoint and status, then moves its decisions to the output queue; returns whether
    /// there were any. A full queue drops and counts, never blocks.
    private func flush(_ decisions: inout [CoreOutput], core: borrowing ChairCore, chair: Int, time: MonotonicInstant) -> Bool {
        guard !decisions.isEmpty else { return false }
        let urgent = decisions.contains { decision in
            switch decision {
            case .result, .event(.session), .event(.restart): true
            default: false
            }
        }
        let state = ChairStateOutput(
            chair: chair, checkpoint: core.checkpoint, status: core.outwardStatus, time: time, urgent: urgent)
        if !chairStates.enqueue(state) {
            droppedOutputs.wrappingAdd(1, ordering: .relaxed)
        }
        for output in decisions where !outputs.enqueue(ChairOutput(chair: chair, output: output, time: time)) {
            droppedOutputs.wrappingAdd(1, ordering: .relaxed)
        }
        decisions.removeAll(keepingCapacity: true)
        return true
    }
}

/// One chair's quiescence as the control loop last saw it, readable from any thread.
private final class QuiescenceFlag: Sendable {
    let isQuiescent = Atomic<Bool>(false)
}
