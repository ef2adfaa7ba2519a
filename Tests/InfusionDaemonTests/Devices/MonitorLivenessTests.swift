import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

@Suite("Monitor liveness: a silent monitor is a lost link even with its port open")
struct MonitorLivenessTests {
    @Test(
        "no reading for the link-loss time reports the link down with the port open; the next reading brings it up",
        arguments: MonitorUnderTest.allCases)
    func silenceIsALostLink(monitor: MonitorUnderTest) async throws {
        let linkLostAfter = Duration.seconds(1)
        let rig = try await MonitorRig.start(monitor, linkLostAfter: linkLostAfter)
        #expect(await rig.recorder.wait { $0.links == [true] })
        rig.host.control("fault no-frames on")
        let silentFrom = ContinuousClock.now
        #expect(await rig.recorder.wait { $0.links == [true, false] })
        // Not before the monitor has been silent for the link-loss time (less the last reading's period).
        #expect(ContinuousClock.now - silentFrom >= linkLostAfter - .milliseconds(200))
        // The port stayed open: the link comes back with the monitor's next reading, not with a reopen.
        rig.host.control("fault no-frames off")
        #expect(await rig.recorder.wait { $0.links == [true, false, true] })
        rig.recorder.clear()
        #expect(await rig.recorder.wait { $0.vitals.contains { $0.parameter == .spo2 && $0.trustworthyValue != nil } })
        await rig.finish()
    }

    @Test("a monitor that keeps sending is never reported down, whatever its cadence", arguments: MonitorUnderTest.allCases)
    func aTalkingMonitorStaysUp(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor, linkLostAfter: .seconds(3))
        #expect(await rig.recorder.wait { $0.links == [true] })
        try await Task.sleep(for: .seconds(2))
        #expect(rig.recorder.links == [true])
        await rig.finish()
    }

    @Test("an IntelliVue that aborts the association is reported down at once and up again once re-associated")
    func intelliVueAssociationLoss() async throws {
        // A link-loss time far longer than the test: only the association's end can bring the link down.
        let rig = try await MonitorRig.start(.intelliVue, linkLostAfter: .seconds(60))
        #expect(await rig.recorder.wait { $0.links == [true] })
        #expect(rig.host.control("association-abort") == "ok")
        let abortedAt = ContinuousClock.now
        #expect(await rig.recorder.wait { $0.links == [true, false] })
        #expect(ContinuousClock.now - abortedAt < .seconds(2))
        // The host session asks again after its response timeout (5 s) and numerics resume.
        #expect(await rig.recorder.wait { $0.links == [true, false, true] })
        await rig.finish()
    }
}
