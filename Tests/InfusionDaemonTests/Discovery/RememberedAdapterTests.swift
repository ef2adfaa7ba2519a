import Foundation
import InfusionCore
import InfusionDaemon
import Testing

/// A chair role remembers its adapter across a daemon restart: the binding goes to the audit log when a
/// device is driven, the recovery plan reads the newest one per role back, and the registry refuses a
/// different adapter found at start-up instead of taking it silently.
@Suite("Remembered adapters across restarts")
struct RememberedAdapterTests {
    @Test func aRecalledAdapterMakesAStrangerAtStartUpRefusedAndTheSameOneDriven() {
        var registry = DiscoveryRegistryTests.registry(.idPath(DiscoveryRegistryTests.port))
        let known = DiscoveryRegistryTests.adapter("A10K4Q7B")
        registry.recall(known.adoptionKey, for: DiscoveryRegistryTests.pumpSlot)
        let stranger = DiscoveryRegistryTests.adapter("FT99ZZZ")
        guard case .refuse(_, .refused(DiscoveryRegistryTests.pumpSlot, _))? = registry.add(stranger).first else {
            Issue.record("a different adapter after a restart must be refused")
            return
        }
        _ = registry.remove(stranger)
        #expect(registry.add(known) == [.drive(DiscoveryRegistryTests.pumpSlot, known)])
    }

    @Test func theNewestBindingPerRoleComesBackFromTheStore() async throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let store = try AuditStore(path: scratch.databasePath)
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 8, retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        let recorder = AuditRecorder(writer: writer, chairIDs: ["1", "2"], settings: AuditSettings())
        recorder.recordBinding(chair: "1", role: .pump, adoptionKey: "serial:0403:6001:OLD", device: "old")
        recorder.recordBinding(chair: "1", role: .monitor, adoptionKey: "port:usb-0:2", device: "monitor")
        recorder.recordBinding(chair: "1", role: .pump, adoptionKey: "serial:0403:6001:NEW", device: "adopted")
        writer.finish()
        await runner.value

        let plan = try RecoveryPlan.load(from: store, chairIDs: ["1", "2"], now: .zero)
        #expect(plan.rememberedAdapters[ChairRole(chair: "1", role: .pump)] == "serial:0403:6001:NEW")
        #expect(plan.rememberedAdapters[ChairRole(chair: "1", role: .monitor)] == "port:usb-0:2")
        #expect(plan.rememberedAdapters[ChairRole(chair: "2", role: .pump)] == nil)
        #expect(plan.chairs.isEmpty, "no checkpoint, no session to rebuild")
    }
}
