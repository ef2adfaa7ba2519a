import DeviceSimulators
import Logging

@testable import InfusionDaemon

/// A driver and a simulated NE-1000 behind a pty.
typealias NewEraRig = PumpRig<NewEraPumpSimulator, NewEraDialect>

extension PumpRig where Device == NewEraPumpSimulator, Dialect == NewEraDialect {
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
}
