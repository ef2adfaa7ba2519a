import DeviceSimulators
import InfusionCore
import Testing

@testable import InfusionDaemon

/// A BD 5 mL syringe (11.99 mm, docs/DEVICE-BASIS.md §1 syringe table): the pumps count volume finely
/// enough that a fraction of a second of infusion already shows in the read-back.
let testSyringeDiameter = 11.99

/// A driver and a simulated pump of one family behind a pty, torn down by `finish()`. Each family's
/// test support adds the `start` that builds it (`NewEraRig`, `HarvardRig`).
struct PumpRig<Device: ControllableDevice, Dialect: PumpDialect> {
    let host: PtySimulatorHost<Device>
    let driver: SerialPumpDriver<Dialect>

    func finish() async {
        await driver.close()
        await host.shutdown()
    }

    /// Sets a rate and starts, as the core does before an infusion.
    func infuse(at rate: Double) async throws {
        _ = try await driver.perform(.setRate(MillilitresPerHour(rate)))
        _ = try await driver.perform(.start)
    }

    /// Infuses at 10 mL/h, switches the motor fault `fault` on in the simulator, and expects the
    /// next poll to find the pump alarmed with an occlusion (every family reports occlusion, empty
    /// syringe and stall as that one condition) and the simulator's `key` to read `value`.
    func expectMotorFaultReported(
        _ fault: String, simulatorShows key: String, _ value: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await infuse(at: 10)
        #expect(host.control("fault \(fault) on") == "ok", sourceLocation: sourceLocation)
        try await Task.sleep(for: .milliseconds(50))
        let observation = try await driver.poll()
        #expect(observation.state == .alarmed, sourceLocation: sourceLocation)
        #expect(observation.alarms == [.occlusion], sourceLocation: sourceLocation)
        #expect(host.stateValue(key) == value, sourceLocation: sourceLocation)
    }
}

/// What the scenarios every family shares need of a rig, whichever family it holds.
protocol PumpScenarioRig: Sendable {
    var pump: any PumpDriver { get }
    @discardableResult func control(_ line: String) -> String
    func stateValue(_ key: String) -> String?
    func disconnect()
    func finish() async
    func infuse(at rate: Double) async throws
}

extension PumpRig: PumpScenarioRig {
    var pump: any PumpDriver { driver }
    @discardableResult func control(_ line: String) -> String { host.control(line) }
    func stateValue(_ key: String) -> String? { host.stateValue(key) }
    func disconnect() { host.disconnect() }
}

/// The pump families whose drivers share scenarios, as a test argument.
enum PumpFamilyUnderTest: CaseIterable, Sendable, CustomStringConvertible {
    case newEra, harvard

    var description: String {
        switch self {
        case .newEra: "NE-1000"
        case .harvard: "Harvard"
        }
    }

    /// A rig of this family with the family's test defaults (reply timeouts of 1 s).
    func start(replyTimeout: Duration = .seconds(1), slowReplyDelay: Duration = .seconds(3)) async throws
        -> any PumpScenarioRig
    {
        switch self {
        case .newEra: try await NewEraRig.start(replyTimeout: replyTimeout, slowReplyDelay: slowReplyDelay)
        case .harvard: try await HarvardRig.start(replyTimeout: replyTimeout, slowReplyDelay: slowReplyDelay)
        }
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

/// What the pump was found doing when `failure` is the read-back mismatch expected, after checking
/// that it reports `expected`; nil, with an issue recorded, for any other outcome.
func readBackMismatch(
    _ failure: PumpDriverFailure?, expecting expected: String, sourceLocation: SourceLocation = #_sourceLocation
) -> PumpObservation? {
    guard case .readBackMismatch(let reported, let observed) = failure else {
        Issue.record("expected a read-back mismatch, got \(String(describing: failure))", sourceLocation: sourceLocation)
        return nil
    }
    #expect(reported == expected, sourceLocation: sourceLocation)
    return observed
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
