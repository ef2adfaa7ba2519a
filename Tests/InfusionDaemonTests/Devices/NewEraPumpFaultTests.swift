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
        try await rig.infuse(at: 10)
        #expect(rig.host.control("fault \(fault) on") == "ok")
        try await Task.sleep(for: .milliseconds(50))
        let observation = try await rig.driver.poll()
        #expect(observation.state == .alarmed)
        // The NE-1000 reports all three as one motor-stall alarm, `A?S`.
        #expect(observation.alarms == [.occlusion])
        #expect(rig.host.stateValue("status") == "S")
        // Reported once: the alarm was acknowledged by the first reply.
        let next = try await rig.driver.poll()
        #expect(next.state == .stopped)
        #expect(next.alarms.isEmpty)
        await rig.finish()
    }

    @Test("starting into an occlusion is a read-back mismatch carrying the alarm")
    func startIntoOcclusion() async throws {
        let rig = try await NewEraRig.start()
        _ = try await rig.driver.perform(.setRate(MillilitresPerHour(10)))
        rig.host.control("fault occlusion on")
        let failure = await failure { () async throws(PumpDriverFailure) in try await rig.driver.perform(.start) }
        guard case .readBackMismatch(let expected, let observed) = failure else {
            Issue.record("expected a read-back mismatch, got \(String(describing: failure))")
            await rig.finish()
            return
        }
        #expect(expected == "infusing")
        #expect(observed.state == .alarmed)
        #expect(observed.alarms.contains(.occlusion))
        await rig.finish()
    }

    @Test("no reply: the command is not confirmed after one retry")
    func noReply() async throws {
        let rig = try await NewEraRig.start()
        rig.host.control("fault no-reply on")
        let started = ContinuousClock.now
        let failure = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(20)))
        }
        let waited = ContinuousClock.now - started
        #expect(failure?.isNotConfirmed == true)
        // Two reply timeouts of the rig's 1 s: one send and one retry (the upper bound only catches a hang).
        #expect(waited >= .seconds(2))
        #expect(waited < .seconds(10))
        // The pump did execute it: exactly why the outcome is "not confirmed" and not "failed".
        #expect(rig.host.stateValue("rate") == "20MH")
        rig.host.control("fault no-reply off")
        #expect(try await rig.driver.poll().rateMillilitresPerHour == 20)
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
        let rig = try await NewEraRig.start(replyTimeout: .milliseconds(500), slowReplyDelay: .milliseconds(750))
        rig.host.control("fault slow-reply on")
        let observation = try await rig.driver.perform(.setRate(MillilitresPerHour(30)))
        #expect(observation.rateMillilitresPerHour == 30)
        await rig.finish()
    }

    @Test("slow replies time out, and their late arrival does not answer later commands")
    func slowReply() async throws {
        let rig = try await NewEraRig.start(replyTimeout: .milliseconds(250), slowReplyDelay: .milliseconds(800))
        rig.host.control("fault slow-reply on")
        let failure = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(30)))
        }
        #expect(failure?.isNotConfirmed == true)
        rig.host.control("fault slow-reply off")
        // Late replies to the timed-out RAT commands are still in flight while these run.
        let observation = try await rig.driver.perform(.setRate(MillilitresPerHour(40)))
        #expect(observation.rateMillilitresPerHour == 40)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await rig.driver.poll().rateMillilitresPerHour == 40)
        await rig.finish()
    }

    @Test("disconnect: calls fail with link down")
    func disconnect() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        rig.host.disconnect()
        let deadline = ContinuousClock.now + .seconds(3)
        var last: PumpDriverFailure?
        while ContinuousClock.now < deadline {
            last = await failure { () async throws(PumpDriverFailure) in try await rig.driver.poll() }
            if last?.isLinkDown == true { break }
        }
        #expect(last?.isLinkDown == true)
        let afterwards = await failure { () async throws(PumpDriverFailure) in try await rig.driver.perform(.stop) }
        #expect(afterwards?.isLinkDown == true)
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
