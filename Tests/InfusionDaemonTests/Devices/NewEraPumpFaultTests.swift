import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@testable import InfusionDaemon

@Suite("NE-1000 driver against every simulator fault switch")
struct NewEraPumpFaultTests {
    @Test("occlusion, syringe empty and stall stop the pump with its stall alarm", arguments: ["occlusion", "syringe-empty", "stall"])
    func motorFaults(fault: String) async throws {
        let rig = try await NewEraRig.start()
        // The NE-1000 reports all three as one motor-stall alarm, `A?S`.
        try await rig.expectMotorFaultReported(fault, simulatorShows: "status", "S")
        // Reported once: the alarm was acknowledged by the first reply.
        let next = try await rig.driver.poll()
        #expect(next.state == .stopped)
        #expect(next.alarms.isEmpty)
        await rig.finish()
    }

    @Test("garbled replies are never taken for answers")
    func garbledReply() async throws {
        let rig = try await NewEraRig.start()
        rig.host.control("fault garbled-reply on")
        let failure = await failure { () async throws(PumpDriverFailure) in try await rig.driver.poll() }
        #expect(failure?.isNotConfirmed == true)
        rig.host.control("fault garbled-reply off")
        #expect(try await rig.driver.poll().state == .stopped)
        await rig.finish()
    }

    @Test("a reply later than the timeout but before the retry's deadline is accepted")
    func replySlowerThanOneTimeout() async throws {
        // The reply comes 300 ms after the first timeout and 700 ms before the retry's: wide enough for a loaded CI machine.
        let rig = try await NewEraRig.start(replyTimeout: .milliseconds(1_000), slowReplyDelay: .milliseconds(1_300))
        rig.host.control("fault slow-reply on")
        let observation = try await rig.driver.perform(.setRate(MillilitresPerHour(30)))
        #expect(observation.rateMillilitresPerHour == 30)
        await rig.finish()
    }

    @Test("safe-mode expiry: the pump is found stopped with its communication alarm")
    func safeModeExpiry() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        #expect(rig.host.control("fault safe-mode-expiry on") == "ok")
        let observation = try await rig.driver.poll()
        #expect(observation.state == .alarmed)
        #expect(observation.alarms.contains(.communicationTimeout))
        await rig.finish()
    }

    @Test("a silent daemon: the pump stops itself when the safe-mode timer runs out")
    func deadManStopsPump() async throws {
        let rig = try await NewEraRig.start(safeModeTimeoutSeconds: 1)
        try await rig.infuse(at: 10)
        await rig.driver.close()
        try await Task.sleep(for: .milliseconds(1_300))
        #expect(rig.host.stateValue("alarm") == "A?T")
        #expect(rig.host.stateValue("status") == "A")
        await rig.host.shutdown()
    }

    @Test("the heartbeat keeps an idle pump's safe-mode timer fed")
    func heartbeatKeepsPumpRunning() async throws {
        let rig = try await NewEraRig.start(safeModeTimeoutSeconds: 1)
        try await rig.infuse(at: 10)
        try await Task.sleep(for: .milliseconds(2_200))
        let observation = try await rig.driver.poll()
        #expect(observation.state == .infusing)
        #expect(observation.alarms.isEmpty)
        await rig.finish()
    }

    @Test("after a power cut the first command only acknowledges the reset alarm and is re-sent")
    func powerCycle() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        #expect(rig.host.control("power-cycle") == "ok")
        let observation = try await rig.driver.perform(.setRate(MillilitresPerHour(12)))
        #expect(observation.rateMillilitresPerHour == 12)
        #expect(observation.alarms.contains(.powerInterrupted))
        #expect(observation.state == .alarmed)
        #expect(rig.host.stateValue("alarm") == "none")
        await rig.finish()
    }
}
