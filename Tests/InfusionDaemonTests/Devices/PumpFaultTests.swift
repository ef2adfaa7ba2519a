import InfusionCore
import Testing

@testable import InfusionDaemon

/// The fault scenarios that play out alike for every pump family: what the exchange, the retry and
/// the read-back make of them does not depend on the wire protocol.
@Suite("Pump drivers of every family against the simulators' shared fault switches")
struct PumpFaultTests {
    @Test("starting into an occlusion is a read-back mismatch carrying the alarm", arguments: PumpFamilyUnderTest.allCases)
    func startIntoOcclusion(family: PumpFamilyUnderTest) async throws {
        let rig = try await family.start()
        _ = try await rig.pump.perform(.setRate(MillilitresPerHour(10)))
        rig.control("fault occlusion on")
        let failure = await failure { () async throws(PumpDriverFailure) in try await rig.pump.perform(.start) }
        let observed = readBackMismatch(failure, expecting: "infusing")
        #expect(observed?.state == .alarmed)
        #expect(observed?.alarms.contains(.occlusion) == true)
        await rig.finish()
    }

    /// `simulatorRate` is the rate as the family's simulator prints it.
    @Test(
        "no reply: the command is not confirmed after one retry",
        arguments: [(PumpFamilyUnderTest.newEra, "20MH"), (.harvard, "20.0ml/h")])
    func noReply(family: PumpFamilyUnderTest, simulatorRate: String) async throws {
        let rig = try await family.start()
        rig.control("fault no-reply on")
        let started = ContinuousClock.now
        let failure = await failure { () async throws(PumpDriverFailure) in
            try await rig.pump.perform(.setRate(MillilitresPerHour(20)))
        }
        let waited = ContinuousClock.now - started
        #expect(failure?.isNotConfirmed == true)
        // Two reply timeouts of the rig's 1 s: one send and one retry (the upper bound only catches a hang).
        #expect(waited >= .seconds(2))
        #expect(waited < .seconds(10))
        // The pump did execute it: exactly why the outcome is "not confirmed" and not "failed".
        #expect(rig.stateValue("rate") == simulatorRate)
        rig.control("fault no-reply off")
        #expect(try await rig.pump.poll().rateMillilitresPerHour == 20)
        await rig.finish()
    }

    @Test(
        "slow replies time out, and their late arrival does not answer later commands",
        arguments: PumpFamilyUnderTest.allCases)
    func slowReply(family: PumpFamilyUnderTest) async throws {
        // Both attempts time out by 500 ms; the replies come at 1.5 s, a second after: wide enough for a loaded machine.
        let rig = try await family.start(replyTimeout: .milliseconds(250), slowReplyDelay: .milliseconds(1_500))
        rig.control("fault slow-reply on")
        let failure = await failure { () async throws(PumpDriverFailure) in
            try await rig.pump.perform(.setRate(MillilitresPerHour(30)))
        }
        #expect(failure?.isNotConfirmed == true)
        rig.control("fault slow-reply off")
        // Late replies to the timed-out commands are still in flight while these run.
        let observation = try await rig.pump.perform(.setRate(MillilitresPerHour(40)))
        #expect(observation.rateMillilitresPerHour == 40)
        // Long enough for the late replies to the timed-out commands to have arrived.
        try await Task.sleep(for: .milliseconds(1_600))
        #expect(try await rig.pump.poll().rateMillilitresPerHour == 40)
        await rig.finish()
    }

    /// `within` bounds how long the driver may take to notice; each family's own bound.
    @Test(
        "disconnect: calls fail with link down",
        arguments: [(PumpFamilyUnderTest.newEra, Duration.seconds(3)), (.harvard, .seconds(5))])
    func disconnect(family: PumpFamilyUnderTest, within: Duration) async throws {
        let rig = try await family.start()
        try await rig.infuse(at: 10)
        rig.disconnect()
        let deadline = ContinuousClock.now + within
        var last: PumpDriverFailure?
        while ContinuousClock.now < deadline {
            last = await failure { () async throws(PumpDriverFailure) in try await rig.pump.poll() }
            if last?.isLinkDown == true { break }
        }
        #expect(last?.isLinkDown == true)
        let afterwards = await failure { () async throws(PumpDriverFailure) in try await rig.pump.perform(.stop) }
        #expect(afterwards?.isLinkDown == true)
        await rig.finish()
    }
}
