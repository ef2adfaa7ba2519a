/// A scripted fall of oxygen saturation: down over `onset`, held at `nadir` for `hold`, back over
/// `recovery`. Times count from the patient model's start.
public struct SpO2Desaturation: Hashable, Sendable, Codable {
    public var start: Duration
    public var onset: Duration
    public var hold: Duration
    public var recovery: Duration
    /// The lowest saturation reached, %.
    public var nadir: Double

    public init(start: Duration, onset: Duration, hold: Duration, recovery: Duration, nadir: Double) {
        self.start = start
        self.onset = onset
        self.hold = hold
        self.recovery = recovery
        self.nadir = nadir
    }

    /// How far along the dip is at `elapsed`: 0 outside it, 1 at the nadir.
    func depth(at elapsed: Duration) -> Double {
        let seconds = (elapsed - start).secondsDouble
        let onset = self.onset.secondsDouble
        let hold = self.hold.secondsDouble
        let recovery = self.recovery.secondsDouble
        guard seconds > 0 else { return 0 }
        if seconds < onset { return seconds / onset }
        if seconds < onset + hold { return 1 }
        let recovered = seconds - onset - hold
        guard recovered < recovery, recovery > 0 else { return 0 }
        return 1 - recovered / recovery
    }
}
