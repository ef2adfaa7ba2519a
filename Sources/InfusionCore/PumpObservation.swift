/// What a syringe pump is doing, in domain terms, independent of its wire protocol.
public enum PumpRunState: String, Hashable, Sendable, Codable {
    /// Motor running forward, delivering.
    case infusing
    /// Motor stopped by command, program kept (NE-1000 "P", Harvard ":" after stop).
    case paused
    /// Stopped, program may be complete or cleared.
    case stopped
    /// Stopped by the pump itself because of an alarm it raised.
    case alarmed
    /// The pump's state could not be determined.
    case unknown
}

/// Conditions a pump reports about itself. Drivers map each protocol's alarm codes to these.
public enum PumpAlarm: String, Hashable, Sendable, Codable, CaseIterable {
    /// Occlusion or motor stall against resistance (NE-1000 "S", Harvard stall).
    case occlusion
    /// The plunger reached the end of the syringe.
    case syringeEmpty
    /// The pump is close to the end of the syringe.
    case nearEmpty
    /// Motor stalled without a specific cause reported.
    case stall
    /// The pump reset or lost power since it was programmed (NE-1000 "R").
    case powerInterrupted
    /// The pump's safe-mode communication timer expired and it stopped itself (NE-1000 "T").
    case communicationTimeout
    /// The pump reported a malformed command from us (NE-1000 "E").
    case commandError
    /// The program's target volume was reached (NE-1000 "O", out of range/target).
    case targetReached
}

/// One read-back of a pump: what the driver learned after querying the device.
public struct PumpObservation: Hashable, Sendable, Codable {
    public var state: PumpRunState
    /// The rate the pump is set to, in mL/h.
    public var rateMillilitresPerHour: Double?
    /// Volume the pump reports infused since its counter was last cleared, in mL.
    public var infusedMillilitres: Double?
    /// Conditions the pump reports.
    public var alarms: Set<PumpAlarm>
    /// When the observation was made.
    public var time: MonotonicInstant
    /// The syringe inside diameter the pump reports, mm, when this read-back asked for it (drivers do
    /// while the pump is still, and after setting it).
    public var syringeDiameterMillimetres: Double?
    /// The rates the pump accepts with that diameter, mL/h, when its family's limits are known
    /// (docs/DEVICE-BASIS.md §1 for the NE-1000; no source gives Harvard's).
    public var rateRangeMillilitresPerHour: ClosedRange<Double>?

    public init(
        state: PumpRunState,
        rateMillilitresPerHour: Double? = nil,
        infusedMillilitres: Double? = nil,
        alarms: Set<PumpAlarm> = [],
        time: MonotonicInstant,
        syringeDiameterMillimetres: Double? = nil,
        rateRangeMillilitresPerHour: ClosedRange<Double>? = nil
    ) {
        self.state = state
        self.rateMillilitresPerHour = rateMillilitresPerHour
        self.infusedMillilitres = infusedMillilitres
        self.alarms = alarms
        self.time = time
        self.syringeDiameterMillimetres = syringeDiameterMillimetres
        self.rateRangeMillilitresPerHour = rateRangeMillilitresPerHour
    }
}
