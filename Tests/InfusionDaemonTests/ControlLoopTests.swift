import Foundation
import InfusionCore
@testable import InfusionDaemon
import Logging
import Testing
import WireProtocol

/// The control thread for real: a dedicated thread, real clock, lock-free queues.
@Suite struct ControlLoopTests {
    /// `idleTick` defaults to `tick`: these tests count ticks of chairs that are mostly idle.
    private func startedBridge(chairs: [String], tick: Duration = .milliseconds(10), idleTick: Duration? = nil) -> ControlBridge {
        let loop = ControlLoop(
            chairCount: chairs.count, configuration: CoreConfiguration(), tickInterval: tick, idleTickInterval: idleTick ?? tick)
        let bridge = ControlBridge(loop: loop, chairIDs: chairs, hub: EventHub(), logger: Logger(label: "test"))
        loop.start(realtimePriority: nil, lockMemory: false) { _ in }
        bridge.startDispatcher()
        return bridge
    }

    private let intake = IntakeRequest(
        patientID: "P-1", weight: 70, weightUnit: .kg, weightBasis: .measured, profileID: "ketamine-psychiatric",
        checklistSigned: true, checklistSignedBy: "RN Test")

    @Test func commandsReachTheRightChairAndAnswer() async throws {
        let bridge = startedBridge(chairs: ["a", "b"])
        defer { bridge.loop.stop() }
        let accepted = await bridge.perform(.intake(intake), chair: 1, operatorID: "test")
        #expect(accepted.isSuccess)
        let refused = await bridge.perform(.start, chair: 0, operatorID: "test")
        #expect(refused.error?.code == "wrong-state")
        try await waitUntil { bridge.chairSnapshots[1].core.state == .intake }
        #expect(bridge.chairSnapshots[0].core.state == .idle)
    }

    /// A chair command's record is queued by the dispatcher with the core's answer, and the caller hears back only
    /// once it is committed; a record the writer can no longer keep is reported with the core's answer.
    @Test func aCommandIsAnsweredOnceItsRecordIsDurable() async throws {
        let store = try AuditStore.inMemory()
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 64, commitDelay: .seconds(600), retryInterval: .milliseconds(10))
        let writing = Task { await writer.run() }
        let loop = ControlLoop(chairCount: 1, configuration: CoreConfiguration(), tickInterval: .milliseconds(10))
        let bridge = ControlBridge(
            loop: loop, chairIDs: ["a"], hub: EventHub(), logger: Logger(label: "test"),
            recorder: AuditRecorder(writer: writer, chairIDs: ["a"], settings: AuditSettings()))
        loop.start(realtimePriority: nil, lockMemory: false) { _ in }
        bridge.startDispatcher()
        defer { loop.stop() }
        let request = try Request.parse(line: Array(#"{"cmd":"intake","chair":"a","id":7}"#.utf8)).get()
        let audit = ControlBridge.CommandAudit(request: request, actor: AuditActor(uid: 1000, role: "operator"))

        let answer = await bridge.perform(.intake(intake), chair: 0, operatorID: "uid:1000", audit: audit)
        #expect(answer.result.isSuccess)
        #expect(answer.notDurable == nil)
        // Durable when answered, though the commit delay is ten minutes: the record did not wait for company.
        let record = try #require(try store.lastRecord(kind: .operatorCommand, chairID: "a"))
        #expect(record.entry.actor == AuditActor(uid: 1000, role: "operator"))
        #expect(record.entry.payload.contains(#""command":"intake""#) && record.entry.payload.contains(#""ok":true"#))
        // The checkpoint holding the command's effect was committed before it.
        let checkpoint = try #require(try store.lastRecord(kind: .checkpoint, chairID: "a"))
        #expect(checkpoint.sequence < record.sequence)

        writer.finish()
        await writing.value
        let unrecorded = await bridge.perform(.acknowledge(nil), chair: 0, operatorID: "uid:1000", audit: audit)
        #expect(unrecorded.result.error?.code != "internal", "the core answered: control never waits for the disk")
        #expect(unrecorded.notDurable == AuditWriterError.stopped)
    }

    @Test func ticksAdvanceWhileRunningAndStopWhenStopped() async throws {
        let bridge = startedBridge(chairs: ["a"])
        try await waitUntil { bridge.loop.tickCount >= 5 }
        bridge.loop.stop()
        try await waitUntil { !bridge.loop.isRunning }
        let stopped = bridge.loop.tickCount
        try await Task.sleep(for: .milliseconds(50))
        #expect(bridge.loop.tickCount == stopped, "the health counter freezes with the thread")
    }

    @Test func anInputWakesTheLoopBeforeItsTick() async throws {
        // The first tick is an hour away and the bridge gives up after 10 s: an answer at all proves
        // the doorbell woke the thread.
        let loop = ControlLoop(chairCount: 1, configuration: CoreConfiguration(), tickInterval: .seconds(3600))
        let bridge = ControlBridge(
            loop: loop, chairIDs: ["a"], hub: EventHub(), logger: Logger(label: "test"), resultTimeout: .seconds(10))
        loop.start(realtimePriority: nil, lockMemory: false) { _ in }
        bridge.startDispatcher()
        defer { loop.stop() }
        let result = await bridge.perform(.intake(intake), chair: 0, operatorID: "test")
        #expect(result.isSuccess, "\(String(describing: result.error))")
        #expect(loop.tickCount == 0, "answered without a tick")
    }

    @Test func aStalledThreadCountsTheTicksItSleptThrough() async throws {
        let bridge = startedBridge(chairs: ["a"])
        defer { bridge.loop.stop() }
        try await waitUntil { bridge.loop.tickCount >= 2 }
        let before = bridge.loop.missedTickCount
        bridge.loop.stallForTesting(true)
        try await Task.sleep(for: .milliseconds(200))
        bridge.loop.stallForTesting(false)
        let ticks = bridge.loop.tickCount
        try await waitUntil { bridge.loop.tickCount > ticks }
        // 200 ms held at a 10 ms tick passes at least 19 tick instants without their tick.
        #expect(bridge.loop.missedTickCount - before >= 10)
    }

    /// An empty chair's continuous readings wait for the loop's next pass; a cuff pressure, or a reading of a chair with
    /// a patient, wakes it at once (`ControlLoop.submit`). Ticks are ten minutes apart, so whatever is handled before
    /// the first one was handled because an input rang.
    @Test func anEmptyChairsReadingsWaitForTheNextPassAndAWatchedChairsDoNot() async throws {
        let loop = ControlLoop(chairCount: 2, configuration: CoreConfiguration(), tickInterval: .seconds(600))
        let bridge = ControlBridge(loop: loop, chairIDs: ["a", "b"], hub: EventHub(), logger: Logger(label: "test"))
        loop.start(realtimePriority: nil, lockMemory: false) { _ in }
        bridge.startDispatcher()
        defer { loop.stop() }
        func reading(_ parameter: VitalParameter, _ value: Double) -> CoreInput {
            .vital(VitalSign(parameter: parameter, value: value, time: ControlLoop.now()))
        }

        // The loop has not seen chair a yet, so this one rings; handling it shows the chair quiescent.
        bridge.submit(reading(.pulseRate, 70), chair: 0)
        try await waitUntil { loop.handledInputCount == 1 }
        bridge.submit(reading(.pulseRate, 71), chair: 0)
        bridge.submit(reading(.spo2, 97), chair: 0)
        try await Task.sleep(for: .milliseconds(300))
        #expect(loop.handledInputCount == 1, "an empty chair's pulse rate and SpO2 wait for the next pass")

        bridge.submit(reading(.nibpSystolic, 120), chair: 0)
        try await waitUntil { loop.handledInputCount == 4 }
        #expect(bridge.chairSnapshots[0].vitals.count == 3, "status shows every reading at once")

        #expect(await bridge.perform(.intake(intake), chair: 1, operatorID: "test").isSuccess)
        let handled = loop.handledInputCount
        bridge.submit(reading(.pulseRate, 72), chair: 1)
        try await waitUntil { loop.handledInputCount == handled + 1 }
        #expect(loop.tickCount == 0, "every input above was handled because it rang, not at a tick")
    }

    @Test func quiescentChairsTickAtTheIdlePeriodUntilAnInputWakesOne() async throws {
        // A 1 s idle period against a 10 ms tick: only an upper bound is asserted while idle (a loaded machine
        // ticks less, never more), and after the intake 30 ticks within 10 s, which the idle period alone would
        // take 30 s to reach.
        let bridge = startedBridge(chairs: ["a", "b"], tick: .milliseconds(10), idleTick: .seconds(1))
        defer { bridge.loop.stop() }
        try await waitUntil { bridge.loop.tickCount >= 1 }
        let idleStart = bridge.loop.tickCount
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(bridge.loop.tickCount - idleStart <= 3, "idle chairs are not ticked every 10 ms")
        #expect(await bridge.perform(.intake(intake), chair: 1, operatorID: "test").isSuccess)
        let awake = bridge.loop.tickCount
        try await waitUntil { bridge.loop.tickCount >= awake + 30 }
    }

    @Test func unknownChairIndexIsRefused() {
        let loop = ControlLoop(chairCount: 1, configuration: CoreConfiguration(), tickInterval: .milliseconds(10))
        #expect(!loop.submit(ChairInput(chair: 3, input: .tick)))
    }
}

@Suite struct BoundedQueueTests {
    @Test func keepsOrderAndRefusesWhenFull() {
        let queue = BoundedQueue<Int>(minimumCapacity: 4)
        for value in 0..<4 { #expect(queue.enqueue(value)) }
        #expect(!queue.enqueue(99))
        #expect((0..<4).map { _ in queue.dequeue() } == [0, 1, 2, 3])
        #expect(queue.dequeue() == nil)
    }

    @Test func manyProducersLoseNothing() async {
        let queue = BoundedQueue<Int>(minimumCapacity: 1 << 16)
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<4 {
                group.addTask { for value in 0..<10_000 { _ = queue.enqueue(producer * 100_000 + value) } }
            }
        }
        var seen: [Int: [Int]] = [:]
        while let value = queue.dequeue() { seen[value / 100_000, default: []].append(value % 100_000) }
        #expect(seen.count == 4)
        #expect(seen.values.allSatisfy { $0 == Array(0..<10_000) }, "each producer's values arrive complete and in order")
    }
}

/// Polls `condition` every few milliseconds for at most ten seconds (generous: CI machines are shared).
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 10 s")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
