import Foundation
import InfusionDaemon
import Testing

@Suite struct HeapArenasTests {
    /// glibc accepts the cap; a MALLOC_ARENA_MAX in the environment is what stays in force.
    @Test func theCapIsAcceptedUnlessTheEnvironmentChoseOne() {
        let chosen = ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"].flatMap { Int32($0) }
        #expect(HeapArenas.limit(to: 1) == (chosen ?? 1))
    }
}
