import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

@Suite("Harvard driver against the simulator over a pty")
struct HarvardPumpDriverTests {
    @Test("open programs the syringe diameter of an idle pump")
    func openProgramsSyringe() async throws {
        let rig = try await HarvardRig.start()
        #expect(rig.host.stateValue("diameter_mm") == "\(testSyringeDiameter)")
        #expect(rig.host.stateValue("prompt") == ":")
        await rig.finish()
    }

    @Test("set rate, start, poll volume, pause and stop are each read back")
    func infusionCycle() async throws {
        let rig = try await HarvardRig.start()
        let rated = try await rig.driver.perform(.setRate(MillilitresPerHour(30)))
        #expect(rated.rateMillilitresPerHour == 30)
        #expect(rated.state == .paused)
        #expect(rig.host.stateValue("rate") == "30.0ml/h")

        let beforeStart = monotonicNow()
        let started = try await rig.driver.perform(.start)
        #expect(started.state == .infusing)
        #expect(started.rateMillilitresPerHour == 30)
        #expect(rig.host.stateValue("prompt") == ">")

        try await Task.sleep(for: .milliseconds(600))
        let running = try await rig.driver.poll()
        let infused = try #require(running.infusedMillilitres)
        #expect(running.state == .infusing)
        #expect(infused > 0)
        // Never more than the rate allows since the start was sent, plus the last printed digit.
        let elapsedHours = (running.time - beforeStart).secondsDouble / 3600
        #expect(infused <= 30 * elapsedHours + 0.000_1)

        let paused = try await rig.driver.perform(.pause)
        #expect(paused.state == .paused)
        #expect(rig.host.stateValue("prompt") == ":")
        let volumeAtPause = try #require(paused.infusedMillilitres)
        #expect(volumeAtPause >= infused)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await rig.driver.poll().infusedMillilitres == volumeAtPause)

        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(stopped.infusedMillilitres == volumeAtPause)
        #expect(rig.host.stateValue("prompt") == ":")
        await rig.finish()
    }

    @Test("stop from infusing leaves the pump idle and reads stopped")
    func stopFromInfusing() async throws {
        let rig = try await HarvardRig.start()
        try await rig.infuse(at: 10)
        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(rig.host.stateValue("prompt") == ":")
        await rig.finish()
    }

    @Test("starting without a rate is a read-back mismatch, not a success")
    func startWithoutRate() async throws {
        let rig = try await HarvardRig.start()
        let failure = await failure { () async throws(PumpDriverFailure) in try await rig.driver.perform(.start) }
        #expect(readBackMismatch(failure, expecting: "infusing")?.state == .paused)
        await rig.finish()
    }

    @Test("a rate the pump cannot print to four decimals is refused before sending", arguments: [0.000_01, 0, -5])
    func unrepresentableRate(rate: Double) async throws {
        let rig = try await HarvardRig.start()
        let refused = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(rate)))
        }
        #expect(refused?.isFailed == true)
        #expect(rig.host.stateValue("rate") == "0.0ml/h")
        await rig.finish()
    }

    @Test("reopening a running pump keeps it infusing; a different syringe is refused")
    func reopenRunningPump() async throws {
        let rig = try await HarvardRig.start()
        try await rig.infuse(at: 12)
        // No safe mode: closing the driver leaves the pump running.
        await rig.driver.close()
        #expect(rig.host.stateValue("prompt") == ">")

        let other = await failure { () async throws(PumpDriverFailure) -> PumpObservation in
            let driver = try await HarvardRig.open(on: rig.host, diameter: 14.43)
            await driver.close()
            return PumpObservation(state: .unknown, time: monotonicNow())
        }
        #expect(other?.isFailed == true)
        #expect(rig.host.stateValue("diameter_mm") == "\(testSyringeDiameter)")

        let reopened = try await HarvardRig.open(on: rig.host)
        let observation = try await reopened.poll()
        #expect(observation.state == .infusing)
        #expect(observation.rateMillilitresPerHour == 12)
        #expect(try await reopened.perform(.stop).state == .stopped)
        await reopened.close()
        await rig.host.shutdown()
    }

    @Test("the factory opens a Harvard driver for the Harvard family")
    func factoryMakesHarvardDriver() async throws {
        let host = try PtySimulatorHost(HarvardPumpSimulator())
        let settings = PumpDriverSettings(harvard: HarvardDriverSettings(replyTimeout: .seconds(1)))
        let driver = try await DeviceDriverFactory.makePumpDriver(family: .harvard, path: host.devicePath, settings: settings)
        #expect(driver is HarvardPumpDriver)
        #expect(try await driver.perform(.setRate(MillilitresPerHour(7.5))).rateMillilitresPerHour == 7.5)
        await driver.close()
        await host.shutdown()
    }
}
