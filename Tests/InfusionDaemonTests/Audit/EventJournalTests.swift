@testable import InfusionDaemon
import Testing
import WireProtocol

/// The event journal's numbering across daemon runs (docs/AUDIT.md "The event journal").
struct EventJournalTests {
    private func events(_ numbers: [UInt64]) -> [EncodedEvent] {
        numbers.map { EncodedEvent("notice", topic: .notices, sequence: $0, data: Array(#"{"n":\#($0)}"#.utf8)) }
    }

    @Test func aCleanRunIsContinuedACrashedOneJumpedPastAndAnEmptyOneReused() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        var store = try AuditStore(path: scratch.databasePath)
        #expect(try store.beginEventRun() == 1, "a fresh journal starts at 1")
        _ = try await store.append([], events: events([1, 2, 3]))
        #expect(try store.endEventRun(start: 1, lastSequence: 3))
        try store.close()

        store = try AuditStore(path: scratch.databasePath)
        #expect(try store.beginEventRun() == 4, "after a clean stop the numbering continues")
        _ = try await store.append([], events: events([4, 5]))
        // Killed: the run is never ended, and it may have handed out 6, 7, ... without writing them.
        try store.close()

        store = try AuditStore(path: scratch.databasePath)
        let afterCrash = try store.beginEventRun()
        #expect(afterCrash == 1 << 32, "past anything the killed run can have used")
        #expect(try store.endEventRun(start: afterCrash, lastSequence: afterCrash - 1), "a run that published nothing")
        #expect(try store.beginEventRun() == afterCrash, "an empty clean run's numbers are reused, not skipped")

        let replay = try await store.events(after: 0, limit: 10)
        #expect(replay.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(replay.first?.line == Array(#"{"event":"notice","topic":"notices","seq":1,"data":{"n":1}}"#.utf8) + [10])
        #expect(try await store.events(after: 4, limit: 1).map(\.sequence) == [5])
        try store.close()
    }

    @Test func aRunWithAMissingEventIsNotClosedCleanly() async throws {
        let store = try AuditStore.inMemory()
        let start = try store.beginEventRun()
        _ = try await store.append([], events: events([1, 3]))
        #expect(try store.endEventRun(start: start, lastSequence: 3) == false, "2 was dropped: the next run must not reuse 4")
        #expect(try store.beginEventRun() == 1 << 32)
        try store.close()
    }
}
