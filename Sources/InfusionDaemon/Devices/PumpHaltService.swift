#if canImport(Glibc)
internal import Glibc
#endif
internal import InfusionCore
package import Logging
internal import ServiceLifecycle
internal import WireProtocol

/// Halts the pumps at a stop (SIGTERM, SIGINT): the first service to stop, while the device links, the socket and
/// the audit store still run.
///
/// It pauses every infusing chair through its core, as a nurse's `pause` would, and waits up to `haltTimeout` for
/// each pump to confirm the halt: the safe state is "not infusing", and a pump without a safe mode of its own
/// (Harvard) would otherwise run on to its phase's target with nobody watching the patient (docs/HAZARDS.md).
/// Pump-side dead-man timers stay armed for a pump that does not confirm in time. The restart restores those
/// chairs paused, as after any restart.
package struct PumpHaltService: Service, CustomStringConvertible {
    private let bridge: ControlBridge
    private let haltTimeout: Duration
    private let logger: Logger

    /// The reason recorded with the pause a stop makes.
    package static let stopPauseReason = "infusiond is stopping"

    package init(bridge: ControlBridge, haltTimeout: Duration = .seconds(3), logger: Logger) {
        self.bridge = bridge
        self.haltTimeout = haltTimeout
        self.logger = logger
    }

    package var description: String { "PumpHaltService" }

    package func run() async throws {
        try? await gracefulShutdown()
        await haltInfusingChairs()
    }

    /// Records the pause as a chair command of the daemon's own (role `daemon`), beside the nurses' commands.
    private func recordPause(chair: Int, outcome: CoreError?) async {
        guard let recorder = bridge.recorder else { return }
        let line = #"{"cmd":"pause","chair":"# + String(decoding: LineCoding.jsonString(bridge.chairIDs[chair]), as: UTF8.self)
            + #","reason":"\#(Self.stopPauseReason)"}"#
        guard case .success(let request) = Request.parse(line: Array(line.utf8)) else { return }
        do {
            try await recorder.recordCommand(
                request, chair: bridge.chairIDs[chair], outcome: outcome, actor: AuditActor(uid: getuid(), role: "daemon"),
                time: ControlLoop.now())
        } catch {
            logger.warning("the pause for the stop is not durable", metadata: ["error": "\(error)"])
        }
    }

    /// Pauses every infusing chair and waits until each shows its pump confirmed stopped, or `haltTimeout` passed.
    private func haltInfusingChairs() async {
        let shown = bridge.chairSnapshots
        let infusing = shown.indices.filter { shown[$0].core.state == .infusing }
        guard !infusing.isEmpty else { return }
        for chair in infusing {
            let result = await bridge.perform(.pause(reason: Self.stopPauseReason), chair: chair, operatorID: "infusiond")
            if let error = result.error {
                logger.warning("could not pause the chair for the stop", metadata: [
                    "chair": "\(bridge.chairIDs[chair])", "code": "\(error.code)", "reason": "\(error.message)"])
            }
            await recordPause(chair: chair, outcome: result.error)
        }
        let deadline = ContinuousClock.now + haltTimeout
        var unconfirmed = infusing
        while !unconfirmed.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            let snapshots = bridge.chairSnapshots
            unconfirmed.removeAll { snapshots[$0].core.state != .infusing && !snapshots[$0].core.deliveryUncertainty.isUncertain }
        }
        let chairs = infusing.map { bridge.chairIDs[$0] }.joined(separator: ",")
        if unconfirmed.isEmpty {
            logger.notice("infusing chairs paused for the stop, each pump confirmed stopped", metadata: ["chairs": "\(chairs)"])
        } else {
            logger.error("a pump did not confirm the halt before the stop; its own safe-mode timer, where it has one, stops it", metadata: [
                "chairs": "\(unconfirmed.map { bridge.chairIDs[$0] }.joined(separator: ","))"])
        }
    }
}
