/// A pump command the driver could not confirm, handed to the core as `CoreInput.pumpCommandFailed`.
///
/// "Sent but not confirmed" is a state of its own (ARCHITECTURE.md, "Safety rules"): the core does
/// not assume the command took effect, keeps delivery marked uncertain, and repeats a halt until a
/// read-back shows the pump still.
public struct PumpCommandFailure: Hashable, Sendable, Codable {
    /// Why the command did not end with a confirmed read-back. The raw values are the names the
    /// socket protocol uses (`pump.command-failed`'s `reason`, docs/PROTOCOL.md).
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        /// Written, but no valid reply came after the retry: the pump may have acted on it.
        case notConfirmed = "not-confirmed"
        /// Certainly not carried out: the pump refused it, or its numbers could not be written.
        case notCarriedOut = "not-carried-out"
        /// The pump replied, but its read-back differs from what was commanded.
        case readBackMismatch = "read-back-mismatch"
        /// The serial link is down; nothing could be sent.
        case linkDown = "link-down"
    }

    public var command: PumpCommand
    public var reason: Reason
    /// What the driver saw, for people (not a stable name).
    public var message: String
    /// The read-back that contradicted the command, for `readBackMismatch`.
    public var observation: PumpObservation?

    public init(command: PumpCommand, reason: Reason, message: String, observation: PumpObservation? = nil) {
        self.command = command
        self.reason = reason
        self.message = message
        self.observation = observation
    }
}

