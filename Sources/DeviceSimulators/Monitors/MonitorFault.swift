/// The fault switches of the simulated patient monitors, settable while they run through the control
/// channel. Each changes the wire output the way the real device shows that condition
/// (docs/SIMULATORS.md).
public enum MonitorFault: String, CaseIterable, Hashable, Sendable {
    /// The probe is off the patient: no numbers, the family's sensor-off status.
    case sensorOff = "sensor-off"
    /// Motion artefact: numbers still sent, marked as artefact or of low quality.
    case motionArtefact = "motion"
    /// Low perfusion at the probe site: numbers sent, low-perfusion status, small perfusion index.
    case lowPerfusion = "low-perfusion"
    /// The device stops sending (a hung monitor or a cable broken in one direction): stale data.
    case noFrames = "no-frames"
    /// Line noise: random bytes mixed into the output.
    case garbage
    /// The serial link is gone: the simulator host closes the pseudo-terminal (handled by the host).
    case disconnect
}
