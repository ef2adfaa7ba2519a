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
        try await rig.infuse(at: 10)
        #expect(rig.host.control("fault \(fault) on") == "ok")
        try await Task.sleep(for: .milliseconds(50))
        let observation = try await rig.driver.poll()
        #expect(observation.state == .alarmed)
        // The pump shows all three as one stalled prompt, `*`.
        #expect(observation.alarms == [.occlusion])
        #expect(rig.host.stateValue("prompt") == "*")
        // The stalled prompt stays until the pump is told to stop or run again.
        #expect(try await rig.driver.poll().state == .alarmed)
        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(stopped.alarms.isEmpty)
        #expect(rig.host.stateValue("prompt") == ":")
        await rig.finish()
    }

    @Test("starting into an occlusion is a read-back mismatch carrying the alarm")
    func startIntoOcclusion() async throws {
        let rig = try await HarvardRig.start()
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
        let rig = try await HarvardRig.start()
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
        #expect(rig.host.stateValue("rate") == "20.0ml/h")
        rig.host.control("fault no-reply off")
        #expect(try await rig.driver.poll().rateMillilitresPerHour == 20)
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

    @Test("slow replies time out, and their late arrival does not answer later commands")
    func slowReply() async throws {
        let rig = try await HarvardRig.start(replyTimeout: .milliseconds(250), slowReplyDelay: .milliseconds(800))
        rig.host.control("fault slow-reply on")
        let failure = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(30)))
        }
        #expect(failure?.isNotConfirmed == true)
        rig.host.control("fault slow-reply off")
        // Late replies to the timed-out commands are still in flight while these run.
        let observation = try await rig.driver.perform(.setRate(MillilitresPerHour(40)))
        #expect(observation.rateMillilitresPerHour == 40)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await rig.driver.poll().rateMillilitresPerHour == 40)
        await rig.finish()
    }

    @Test("disconnect: calls fail with link down")
    func disconnect() async throws {
        let rig = try await HarvardRig.start()
        try await rig.infuse(at: 10)
        rig.host.disconnect()
        let deadline = ContinuousClock.now + .seconds(5)
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
