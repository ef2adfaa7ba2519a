import DeviceProtocols
import Glibc
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

@Suite("Monitor driver reopening a lost port")
struct MonitorReconnectTests {
    @Test("a device that comes back at the same path is reopened and the link comes up again")
    func reopensAtTheSamePath() async throws {
        // A stable name in front of the pty, as a udev symlink is in front of a USB adapter.
        let link = "/tmp/infusiond-test-monitor-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        let first = try MonitorUnderTest.masimo.makeHost()
        #expect(symlink(first.devicePath, link) == 0)
        defer { unlink(link) }
        let recorder = EventRecorder()
        let driver = try await DeviceDriverFactory.makeMonitorDriver(
            family: .masimo, path: link, settings: MonitorUnderTest.masimo.driverSettings(), logger: Logger(label: "test"),
            sink: recorder.sink)
        #expect(await recorder.wait { $0.links == [true] })

        first.disconnect()
        #expect(await recorder.wait { $0.links == [true, false] })
        await first.shutdown()

        let second = try MonitorUnderTest.masimo.makeHost()
        unlink(link)
        #expect(symlink(second.devicePath, link) == 0)
        #expect(await recorder.wait { $0.links == [true, false, true] })
        recorder.clear()
        #expect(await recorder.wait { $0.vitals.contains { $0.parameter == .spo2 && $0.trustworthyValue != nil } })

        await driver.close()
        await second.shutdown()
    }
}
