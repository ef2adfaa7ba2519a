import Foundation
import InfusionCore
import Testing

@testable import InfusionDaemon

/// The pump executor (issue 21): a chair's pump runs on a thread of its own, off the shared pool, jobs in order,
/// and the thread ends when nothing refers to the executor any more.
@Suite struct PumpExecutorTests {
    /// The calling thread's name, as /proc and `top -H` show it.
    private static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }

    /// The calling thread's id (`/proc/thread-self` links to `PID/task/TID`).
    private static func threadID() -> String {
        ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "").split(separator: "/").last
            .map(String.init) ?? ""
    }

    /// Whether thread `id` of this process still runs.
    private static func threadExists(_ id: String) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/self/task/\(id)")
    }

    private actor Recorder {
        private let executor: PumpExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        private(set) var calls: [(index: Int, thread: String)] = []
        init(executor: PumpExecutor) { self.executor = executor }
        func call(_ index: Int) { calls.append((index, PumpExecutorTests.threadName())) }
        func callerThreadID() -> String { PumpExecutorTests.threadID() }
    }

    @Test func anActorOnItRunsOnTheDedicatedThreadInOrder() async {
        let recorder = Recorder(executor: PumpExecutor())
        for index in 0..<50 { await recorder.call(index) }
        let calls = await recorder.calls
        #expect(calls.map(\.index) == Array(0..<50))
        #expect(calls.allSatisfy { $0.thread == "infusiond-pump" }, "\(Set(calls.map(\.thread)))")
    }

    @Test func aTaskPreferringItResumesThereWhenAnotherThreadHandsItWork() async {
        let executor = PumpExecutor()
        let queue = PumpCommandQueue()
        let task = Task(executorPreference: executor) { () -> (PumpCommand?, String) in
            let command = await queue.next()
            return (command, Self.threadName())
        }
        // Pushed from a plain thread, as the output dispatcher does.
        Thread { Thread.sleep(forTimeInterval: 0.05); queue.push(.pause) }.start()
        let (command, thread) = await task.value
        #expect(command == .pause)
        #expect(thread == "infusiond-pump")
    }

    /// Watches this executor's own thread, by id: other tests running beside this one start and end pump threads of
    /// their own, so a count of threads by name proves nothing.
    @Test func itsThreadEndsOnceNothingRefersToIt() async throws {
        let thread: String
        do {
            let recorder = Recorder(executor: PumpExecutor())
            thread = await recorder.callerThreadID()
            #expect(Self.threadExists(thread))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.threadExists(thread), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!Self.threadExists(thread), "the executor's thread ended")
    }
}
