import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@testable import InfusionDaemon

@Suite("NE-1000 driver against the simulator over a pty")
struct NewEraPumpDriverTests {
    @Test("open arms safe mode and programs the syringe")
    func openArmsSafeMode() async throws {
        let rig = try await NewEraRig.start(safeModeTimeoutSeconds: 7)
        #expect(rig.host.stateValue("mode") == "safe")
        #expect(rig.host.stateValue("safe_timeout_s") == "7")
        #expect(rig.host.stateValue("diameter_mm") == "\(testSyringeDiameter)")
        await rig.finish()
    }

    @Test("set rate, start, poll volume, pause and stop are each read back")
    func infusionCycle() async throws {
        let rig = try await NewEraRig.start()
        let rated = try await rig.driver.perform(.setRate(MillilitresPerHour(5.25)))
        #expect(rated.rateMillilitresPerHour == 5.25)
        #expect(rated.state == .stopped)

        let started = try await rig.driver.perform(.start)
        #expect(started.state == .infusing)
        #expect(started.rateMillilitresPerHour == 5.25)
        let startedAt = started.time

        try await Task.sleep(for: .milliseconds(600))
        let running = try await rig.driver.poll()
        let elapsedHours = (running.time - startedAt).secondsDouble / 3600
        let infused = try #require(running.infusedMillilitres)
        #expect(running.state == .infusing)
        #expect(infused > 0)
        // Never more than the rate allows over the time since the start was confirmed, plus the
        // pump's last printed digit (1 nL in µL units).
        #expect(infused <= 5.25 * (elapsedHours + 0.5 / 3600) + 0.000_001)

        let paused = try await rig.driver.perform(.pause)
        #expect(paused.state == .paused)
        let volumeAtPause = try #require(paused.infusedMillilitres)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await rig.driver.poll().infusedMillilitres == volumeAtPause)

        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(rig.host.stateValue("status") == "S")
        await rig.finish()
    }

    @Test("stop from infusing sends STP until the pump reads stopped")
    func stopFromInfusing() async throws {
        let rig = try await NewEraRig.start()
        try await rig.infuse(at: 10)
        let stopped = try await rig.driver.perform(.stop)
        #expect(stopped.state == .stopped)
        #expect(rig.host.stateValue("status") == "S")
        await rig.finish()
    }

    @Test("a rate outside the syringe's limits is refused, not unconfirmed")
    func outOfRangeRate() async throws {
        let rig = try await NewEraRig.start()
        // BD 5 mL tops out near 345 mL/h (docs/DEVICE-BASIS.md §1 syringe table).
        let refused = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(900)))
        }
        #expect(refused?.isFailed == true)
        await rig.finish()
    }

    @Test("a rate the pump cannot print to four digits is refused before sending")
    func unrepresentableRate() async throws {
        let rig = try await NewEraRig.start()
        let refused = await failure { () async throws(PumpDriverFailure) in
            try await rig.driver.perform(.setRate(MillilitresPerHour(0.000_1)))
        }
        #expect(refused?.isFailed == true)
        #expect(rig.host.stateValue("rate") == "0MH")
        await rig.finish()
    }

    @Test("with safe mode set to 0 the driver leaves safe mode and speaks Basic framing")
    func basicMode() async throws {
        let rig = try await NewEraRig.start(safeModeTimeoutSeconds: 0)
        #expect(rig.host.stateValue("mode") == "basic")
        try await rig.infuse(at: 8)
        #expect(try await rig.driver.poll().state == .infusing)
        #expect(try await rig.driver.perform(.stop).state == .stopped)
        await rig.finish()
    }
}
