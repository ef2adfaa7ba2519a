/// What the core decided, in order. The shell sends pump commands to the pump driver at once,
/// publishes events, and answers command results to the client that asked.
public enum CoreOutput: Hashable, Sendable, Codable {
    case pump(PumpCommand)
    case event(CoreEvent)
    /// Boxed: a result carries the chair's whole status (about 0.8 KB), and unboxed it set the size of every
    /// output, which the control thread's preallocated (and locked) output queue holds 4,096 of. A command's
    /// answer allocates anyway (its status holds arrays); a tick's outputs never are results.
    indirect case result(CommandResult)
}

/// A pump command in domain terms; the driver turns it into the pump's protocol.
public enum PumpCommand: Hashable, Sendable, Codable {
    case setRate(MillilitresPerHour)
    case start
    case pause
    case stop
    /// Clears the pump's infused-volume counter (sent while the pump is still, before a session's
    /// first start), so a new session never inherits the previous one's volume.
    case clearVolume
    /// Sets the syringe's inside diameter, mm (only while the pump is still: pumps refuse it while
    /// running), and reads it back.
    case setSyringe(diameterMillimetres: Double)
    /// The pump stops by itself once its infused counter reaches this many mL (NE-1000 `VOL`, counted
    /// per phase by the driver; Harvard `tvolume`): the bound of the phase about to run or running.
    case setTarget(infusedMillilitres: Double)

    /// Whether the command halts the pump (pause or stop).
    public var isHalt: Bool { self == .pause || self == .stop }
}

/// Something observers should know.
public enum CoreEvent: Hashable, Sendable, Codable {
    case session(SessionTransition)
    case alarm(AlarmEvent)
    case audioPause(AudioPauseEvent)
    case limit(LimitEvent)
    case interlock(InterlockEvent)
    case delivery(DeliveryReport)
    /// The session was rebuilt after a daemon restart, or its dose reconciled with the pump.
    case restart(RestartEvent)
    /// A bolus started, finished, or was cut short.
    case bolus(BolusEvent)
    /// Delivery became uncertain, changed reason, or became certain again.
    case deliveryCertainty(DeliveryUncertainty)
    /// The nurse's scores were recorded (by `observe`, or the Aldrete total of `recovery`).
    case observation(ObservationEvent)
    /// The observations due or the discharge criteria missing changed (`ObservationStatus`).
    case observationStatus(ObservationStatus)
    /// An as-needed medication was given at the chair (`medicate`).
    case medication(AdministeredMedication)
    /// An order was staged on the chair or accepted by the nurse.
    case order(OrderEvent)
}

/// The answer to one operator command.
public struct CommandResult: Hashable, Sendable, Codable {
    /// The command's correlation id.
    public var commandID: String
    /// Nil when the command was carried out.
    public var error: CoreError?
    /// The chair as the command left it (the core's outward status after it and everything it set off), so the
    /// reply shows the state after the command (a re-program's new dose, a new patient's 0 mg) even when the
    /// command changes nothing that an event reports.
    public var after: OutwardChairStatus?

    public init(commandID: String, error: CoreError?, after: OutwardChairStatus? = nil) {
        self.commandID = commandID
        self.error = error
        self.after = after
    }

    public var isSuccess: Bool { error == nil }
}

/// The chair's session moved from one state to another.
public struct SessionTransition: Hashable, Sendable, Codable {
    public var from: SessionState
    public var to: SessionState
    /// Why, as a stable kebab-case word ("operator", "interlock", "dose-reached", ...).
    public var reason: String
    public var time: MonotonicInstant
    /// The session after the transition; nil when no patient is taken in.
    public var session: SessionOutline?
}

/// The delivery account and prediction, published with pump events and at the report interval.
public struct DeliveryReport: Hashable, Sendable, Codable {
    /// The flow the core has commanded now.
    public var flow: MillilitresPerHour
    /// The same rate in the program's dose unit.
    public var doseRate: DoseRate
    /// Dose delivered this session (the larger of the commanded and pump-reported accounts).
    public var deliveredDose: Milligrams
    public var commandedDose: Milligrams
    public var reportedDose: Milligrams
    /// Predicted plasma concentration (ng/mL): an estimate, never a measurement.
    public var predictedConcentration: Double
    public var time: MonotonicInstant
    /// The latest trustworthy cuff pressure; a report is also published after each new cuff reading.
    public var bloodPressure: CuffPressure?
    /// What is left in the syringe, mL: the volume loaded (program or syringe change) minus the larger
    /// of the commanded and pump-reported volumes out of it since.
    public var syringeRemainingMillilitres: Double?
}
