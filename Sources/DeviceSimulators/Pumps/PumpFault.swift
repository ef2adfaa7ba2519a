/// The fault switches of the simulated pumps, settable while they run through the control channel.
/// Each changes what the host sees the way the real fault would (docs/SIMULATORS.md).
public enum PumpFault: String, CaseIterable, Hashable, Sendable {
    /// The line is blocked: a moving plunger stalls and the pump alarms (NE `A?S`, Harvard `*`).
    case occlusion
    /// The plunger is at the end of the barrel; a running pump stops with the end-of-travel alarm.
    /// Turning it off loads a full syringe.
    case syringeEmpty = "syringe-empty"
    /// The motor stalls without a blockage (same wire signal as occlusion on both families).
    case stall
    /// The pump executes commands but its replies are lost.
    case noReply = "no-reply"
    /// Replies arrive damaged: one byte changed and the final byte dropped.
    case garbledReply = "garbled-reply"
    /// Replies arrive late, after the configured delay.
    case slowReply = "slow-reply"
    /// The next stop command is answered as usual but not carried out: the motor keeps running, as a
    /// pump that missed a halt would. Clears itself after that one command.
    case ignoreStop = "ignore-stop"
    /// A noisy line: random bytes before each reply and, at the `noise-rate`, between replies
    /// (`LineNoise`); the replies themselves arrive intact.
    case noise
    /// The serial link is gone: the host closes the pseudo-terminal (handled by the simulator host).
    case disconnect
    /// Expires the NE safe-mode timer at once, as if the host had been silent past the timeout.
    /// Momentary; only meaningful while safe mode is on.
    case safeModeExpiry = "safe-mode-expiry"

    /// Whether the motor cannot move while this fault is on.
    var blocksMotor: Bool { self == .occlusion || self == .stall }
}
