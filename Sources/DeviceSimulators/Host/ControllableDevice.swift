public import InfusionCore

/// A simulated device that also answers the simulator host's control channel, where tests flip
/// fault switches while it runs. The host handles the link-level words itself (`disconnect`,
/// `reconnect`, `fault disconnect on|off`) and hands every other line to the device.
public protocol ControllableDevice: SimulatedDevice {
    /// Handles one control line, already split into words, and returns the one-line answer:
    /// `ok[ detail]` on success, `error <reason>` otherwise. Never blocks.
    mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String
}
