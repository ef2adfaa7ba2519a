@testable import InfusionDaemon
import Synchronization
import Testing

/// The thread that publishes the core's events for the output dispatcher.
@Suite struct FanOutWorkerTests {
    @Test func jobsRunInTheOrderHandedOverOnTheWorkersOwnThread() async throws {
        let worker = FanOutWorker()
        worker.start()
        defer { worker.finish() }
        let ran = Mutex<[(Int, String)]>([])
        for index in 0..<100 {
            worker.submit { ran.withLock { $0.append((index, currentThreadName())) } }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ran.withLock({ $0.count }) < 100, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let entries = ran.withLock { $0 }
        #expect(entries.map(\.0) == Array(0..<100))
        #expect(entries.allSatisfy { $0.1 == "infusiond-fan" }, "\(Set(entries.map(\.1)))")
    }

    @Test func finishRunsWhatIsQueuedFirst() async throws {
        let worker = FanOutWorker()
        let ran = Atomic<Int>(0)
        // Queued before the thread starts and before the finish: all of it runs, then the thread ends.
        for _ in 0..<10 { worker.submit { ran.wrappingAdd(1, ordering: .relaxed) } }
        worker.finish()
        worker.start()
        let deadline = ContinuousClock.now + .seconds(30)
        while ran.load(ordering: .relaxed) < 10, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(ran.load(ordering: .relaxed) == 10)
    }
}
