import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@testable import InfusionDaemon

@Suite("Harvard driver against every simulator fault switch")
struct HarvardPumpFaultTests {
    @Test("occlusion, syringe empty and stall stop the pump with its stalled prompt", arguments: ["occlusion", "syringe-empty", "stall"])
    func motorFaults(fault: String) async throws {
        let rig = try await HarvardRig.start()
        // The pump shows all three as one stalled prompt, `*`.
        try await rig.expectMotorFaultReported(fault, simulatorShows: "prompt", "*")
        // The stalled prompt stays until the pump is told to stop or run again.
        #expect(try await rig.driver.poll().state == .alarmed)
        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(stopped.alarms.isEmpty)
        #expect(rig.host.stateValue("prompt") == ":")
        await rig.finish()
    }

    @Test("garbled replies are never taken for answers")
    func garbledReply() async throws {
        let rig = try await HarvardRig.start()
        _ = try await rig.driver.perform(.setRate(MillilitresPerHour(10)))
        rig.host.control("fault garbled-reply on")
        let failure = await failure { () async throws(PumpDriverFailure) in try await rig.driver.poll() }
        #expect(failure?.isNotConfirmed == true)
        rig.host.control("fault garbled-reply off")
        let observation = try await rig.driver.poll()
        #expect(observation.state == .paused)
        #expect(observation.rateMillilitresPerHour == 10)
        await rig.finish()
    }

    @Test("after a power cut the pump is found idle, and a start runs it again at the kept rate")
    func powerCycle() async throws {
        let rig = try await HarvardRig.start()
        try await rig.infuse(at: 10)
        #expect(rig.host.control("power-cycle") == "ok")
        #expect(try await rig.driver.poll().state == .paused)
        let restarted = try await rig.driver.perform(.start)
        #expect(restarted.state == .infusing)
        #expect(restarted.rateMillilitresPerHour == 10)
        await rig.finish()
    }

    @Test("Harvard pumps have no safe mode to expire")
    func noSafeMode() async throws {
        let rig = try await HarvardRig.start()
        try await rig.infuse(at: 10)
        #expect(rig.host.control("fault safe-mode-expiry on").hasPrefix("error"))
        #expect(try await rig.driver.poll().state == .infusing)
        await rig.finish()
    }
}
