import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

@Suite("NE-1000 driver: turn-taking, clock and reopening a running pump")
struct NewEraPumpDriverSessionTests {
    @Test("concurrent calls take turns on the wire and all get their own answer")
    func concurrentCallsAreSerialised() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        let driver = rig.driver
        let rates = try await withThrowingTaskGroup(of: Double?.self) { group in
            for _ in 0..<6 {
                group.addTask { try await driver.poll().rateMillilitresPerHour }
            }
            group.addTask { try await driver.perform(.setRate(MillilitresPerHour(10))).rateMillilitresPerHour }
            var rates: [Double?] = []
            for try await rate in group { rates.append(rate) }
            return rates
        }
        #expect(rates.count == 7)
        #expect(rates.allSatisfy { $0 == 10 })
        #expect(await driver.unexpectedReplyCount == 0)
        await rig.finish()
    }

    @Test("observations are stamped with the injected clock")
    func injectedClock() async throws {
        let simulator = NewEraPumpSimulator()
        let host = try PtySimulatorHost(simulator)
        let fixed = MonotonicInstant.seconds(1_234)
        let driver = try await NewEraPumpDriver.open(
            path: host.devicePath, settings: NewEraDriverSettings(replyTimeout: .seconds(1)), clock: { fixed },
            logger: Logger(label: "test"))
        #expect(try await driver.poll().time == fixed)
        await driver.close()
        await host.shutdown()
    }

    @Test("reopening a pump that is already infusing leaves it running and checks its syringe")
    func reopenRunningPump() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        await rig.driver.close()

        let settings = NewEraDriverSettings(syringeDiameterMillimetres: testSyringeDiameter, replyTimeout: .seconds(1))
        let reopened = try await NewEraPumpDriver.open(
            path: rig.host.devicePath, settings: settings, clock: monotonicNow, logger: Logger(label: "test"))
        let observation = try await reopened.poll()
        #expect(observation.state == .infusing)
        #expect(observation.rateMillilitresPerHour == 10)
        await reopened.close()

        // A different syringe cannot be programmed under a moving plunger: opening must fail.
        var otherSyringe = settings
        otherSyringe.syringeDiameterMillimetres = 26.59
        await #expect(throws: PumpDriverFailure.self) {
            _ = try await NewEraPumpDriver.open(
                path: rig.host.devicePath, settings: otherSyringe, clock: monotonicNow, logger: Logger(label: "test"))
        }
        #expect(rig.host.stateValue("status") == "I")
        await rig.host.shutdown()
    }
}
