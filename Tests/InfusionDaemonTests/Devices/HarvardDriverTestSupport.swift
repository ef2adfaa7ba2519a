import DeviceSimulators
import Logging

@testable import InfusionDaemon

/// A driver and a simulated Pump 11 Elite behind a pty.
typealias HarvardRig = PumpRig<HarvardPumpSimulator, HarvardDialect>

extension PumpRig where Device == HarvardPumpSimulator, Dialect == HarvardDialect {
    /// Reply timeouts of 1 s by default; the protocol logic is the same as with the defaults.
    static func start(
        replyTimeout: Duration = .seconds(1), slowReplyDelay: Duration = .seconds(3)
    ) async throws -> HarvardRig {
        let simulator = HarvardPumpSimulator(
            configuration: .init(diameterMillimetres: 26.59, loadedMillilitres: 5, slowReplyDelay: slowReplyDelay))
        let host = try PtySimulatorHost(simulator)
        let driver = try await open(on: host, replyTimeout: replyTimeout)
        return HarvardRig(host: host, driver: driver)
    }

    /// Opens a (further) driver on the pump behind `host`.
    static func open(
        on host: PtySimulatorHost<HarvardPumpSimulator>, diameter: Double = testSyringeDiameter,
        replyTimeout: Duration = .seconds(1)
    ) async throws(PumpDriverFailure) -> HarvardPumpDriver {
        let settings = HarvardDriverSettings(syringeDiameterMillimetres: diameter, replyTimeout: replyTimeout)
        return try await HarvardPumpDriver.open(
            path: host.devicePath, settings: settings, clock: monotonicNow, logger: Logger(label: "test.harvard"))
    }
}
