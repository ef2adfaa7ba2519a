package import InfusionCore

/// Why a pump command did not end with a confirmed read-back. "Sent but not confirmed" is a state of
/// its own (LoopKit's PumpManager lesson): the pump may be running the new rate, so the core treats it
/// differently from a command that certainly did not arrive.
package enum PumpDriverFailure: Error, Sendable, Hashable {
    /// The command was written but no valid reply came after the retry: its effect is unknown.
    case notConfirmed(String)
    /// The command certainly did not take effect: refused by the pump (`?NA`, `?OOR`, ...) or never sent.
    case failed(String)
    /// The pump replied, but its read-back (rate, state) differs from what was commanded.
    case readBackMismatch(expected: String, observed: PumpObservation)
    /// The serial link is down (unplugged, closed); nothing can be sent.
    case linkDown(String)

    /// The failure as the core takes it: a reason name, the message apart.
    package func coreFailure(of command: PumpCommand) -> PumpCommandFailure {
        switch self {
        case .notConfirmed(let message): PumpCommandFailure(command: command, reason: .notConfirmed, message: message)
        case .failed(let message): PumpCommandFailure(command: command, reason: .notCarriedOut, message: message)
        case .readBackMismatch(let expected, let observed):
            PumpCommandFailure(
                command: command, reason: .readBackMismatch, message: "expected \(expected), pump reads \(observed.state.rawValue)",
                observation: observed)
        case .linkDown(let message): PumpCommandFailure(command: command, reason: .linkDown, message: message)
        }
    }
}

/// A syringe pump in domain terms (rate in mL/h, start, pause, stop, read-back), whatever its wire
/// protocol. Each family implements it over a `SerialLink`.
///
/// Every state-changing call reads the pump back and compares before it returns, so a returned
/// observation is a confirmed one. Calls are serialised by the driver: one command at a time on the
/// wire. Call `close()` once; afterwards every call fails with `.linkDown`.
package protocol PumpDriver: Sendable {
    /// Performs `command`, then reads back rate and state; returns the confirmed observation.
    func perform(_ command: PumpCommand) async throws(PumpDriverFailure) -> PumpObservation

    /// Reads the pump's current state, rate and infused volume without changing anything.
    func poll() async throws(PumpDriverFailure) -> PumpObservation

    /// Stops talking to the pump and closes the link. Where the protocol has a pump-side dead-man
    /// timer (NE-1000 safe mode), it stays armed, so a pump left running stops by itself.
    func close() async
}

/// What a monitor driver reports.
package enum MonitorEvent: Sendable, Hashable {
    /// A reading (valid or flagged).
    case vital(VitalSign)
    /// The link came up (first valid frame) or went down (EOF, EIO, vanished device).
    case link(isUp: Bool)
}

/// Where a monitor driver delivers its events, given when the driver is opened.
///
/// Threading contract: the sink is called on the driver's serial reader thread (a plain thread, not
/// the cooperative pool) for readings and the link coming up, and from the driver's timer tasks for
/// link losses it detects by silence or by the protocol's dialogue, and for readings a timer turns
/// up. Calls for one driver never overlap and arrive in the order the driver produced the events
/// (a link down after the last reading before it). The sink must return promptly without blocking or
/// awaiting (the port is not read while it runs), and must not call back into the driver (`close()`
/// waits for a delivery in progress). From the moment `close()` starts, the sink is not called again.
///
/// Each call carries, in order, the events one input brought (never none): a report's readings arrive together,
/// so the sink can hand them to the chair's core with one wake-up of the control thread, not one per reading.
package typealias MonitorEventSink = @Sendable ([MonitorEvent]) -> Void

/// A patient monitor in domain terms, whatever its wire protocol. Its readings and link changes go to
/// the `MonitorEventSink` it was opened with.
package protocol MonitorDriver: Sendable {
    /// Asks the monitor to start a blood-pressure measurement. Returns once the request is on its way;
    /// throws `.notSupportedByProtocol` when the family's protocol cannot ask for one, in which case the
    /// monitor's own NIBP cycle is all there is.
    func startBloodPressureMeasurement() async throws(MonitorCommandRefusal)

    /// Returns once `close()` has finished, or when the calling task is cancelled. The driver keeps
    /// reading (and reopening a lost port) until then.
    func waitUntilClosed() async

    /// Stops reading and closes the link; afterwards the sink is never called again. Safe to call more
    /// than once.
    func close() async
}
