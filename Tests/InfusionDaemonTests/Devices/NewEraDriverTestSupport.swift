import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging

@testable import InfusionDaemon

/// A BD 5 mL syringe (11.99 mm, device-protocols.md §1 table): the pump counts volume in µL, so
/// a fraction of a second of infusion already shows in `DIS`.
let testSyringeDiameter = 11.99

/// A driver and a simulated NE-1000 behind a pty, torn down by `finish()`.
struct NewEraRig {
    let host: PtySimulatorHost<NewEraPumpSimulator>
    let driver: NewEraPumpDriver

    /// Short timeouts keep fault tests quick; the protocol logic is the same as with the defaults.
    static func start(
        safeModeTimeoutSeconds: UInt8 = 5, replyTimeout: Duration = .seconds(1),
        slowReplyDelay: Duration = .seconds(3)
    ) async throws -> NewEraRig {
        let simulator = NewEraPumpSimulator(
            configuration: .init(diameterMillimetres: 26.59, loadedMillilitres: 5, slowReplyDelay: slowReplyDelay))
        let host = try PtySimulatorHost(simulator)
        let settings = NewEraDriverSettings(
            syringeDiameterMillimetres: testSyringeDiameter, replyTimeout: replyTimeout,
            safeModeTimeoutSeconds: safeModeTimeoutSeconds)
        let driver = try await NewEraPumpDriver.open(
            path: host.devicePath, settings: settings, clock: monotonicNow, logger: Logger(label: "test.newera"))
        return NewEraRig(host: host, driver: driver)
    }

    func finish() async {
        await driver.close()
        await host.shutdown()
    }

    /// Sets a rate and starts, as the core does before an infusion.
    func infuse(at rate: Double) async throws {
        _ = try await driver.perform(.setRate(MillilitresPerHour(rate)))
        _ = try await driver.perform(.start)
    }
}

/// The failure a call threw, or nil when it succeeded.
func failure(of call: () async throws(PumpDriverFailure) -> PumpObservation) async -> PumpDriverFailure? {
    do {
        _ = try await call()
        return nil
    } catch {
        return error
    }
}

extension PumpDriverFailure {
    var isNotConfirmed: Bool {
        if case .notConfirmed = self { return true }
        return false
    }

    var isLinkDown: Bool {
        if case .linkDown = self { return true }
        return false
    }

    var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }
}
