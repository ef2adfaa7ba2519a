import DeviceProtocols
import InfusionCore
import Testing

@testable import InfusionDaemon

/// The threading contract of `MonitorEventSink`, observed on real drivers over ptys.
@Suite("Monitor event sink: called from the reader thread, serially, in order, never after close")
struct MonitorEventSinkTests {
    @Test("readings come on the link's reader thread, one call at a time and in order; the unplug's link down comes last",
          arguments: MonitorUnderTest.allCases)
    func readerThreadInOrder(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.recorder.wait { $0.vitals.filter { $0.parameter == .spo2 }.count >= 4 })
        rig.host.disconnect()
        #expect(await rig.recorder.wait { $0.links == [true, false] })
        let deliveries = rig.recorder.allDeliveries
        #expect(!rig.recorder.hasOverlapped, "two deliveries of one driver overlapped")
        #expect(rig.recorder.emptyDeliveries.load(ordering: .relaxed) == 0, "a delivery carried no event")
        #expect(deliveries.first?.event == .link(isUp: true))
        // The link came up with a reading, and every reading was decoded on the reader thread.
        for delivery in deliveries where delivery.event != .link(isUp: false) {
            #expect(delivery.thread == serialReaderThreadName, "\(delivery.event) delivered on \(delivery.thread)")
        }
        // Readings arrive as their lines did: receipt times never go back (each is dated at receipt).
        let spo2 = rig.recorder.vitals.filter { $0.parameter == .spo2 }
        for (earlier, later) in zip(spo2, spo2.dropFirst()) {
            #expect(earlier.time <= later.time, "SpO2 of \(later.time) delivered after one of \(earlier.time)")
        }
        // Nothing after the link went down: the port is gone, and the down follows the last reading.
        #expect(deliveries.last?.event == .link(isUp: false))
        await rig.finish()
    }

    @Test("after close() returns the sink is never called again", arguments: MonitorUnderTest.allCases)
    func silentAfterClose(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.recorder.wait { $0.vitals.filter { $0.parameter == .spo2 }.count >= 2 })
        await rig.driver.close()
        let atClose = rig.recorder.allDeliveries.count
        // The simulator keeps sending; a driver still reading would deliver within a few of its periods.
        try await Task.sleep(for: .seconds(1))
        #expect(rig.recorder.allDeliveries.count == atClose)
        #expect(!rig.recorder.hasOverlapped)
        await rig.host.shutdown()
    }
}
