/// Everything that can happen to a chair, as the shell hands it to `ChairCore.handle(_:at:)`.
/// Codable so the shell can journal inputs and replay a session.
public enum CoreInput: Hashable, Sendable, Codable {
    /// An operator's command; answered by exactly one `CoreOutput.result`.
    case command(OperatorCommand)
    /// One vital-sign reading from the chair's monitor.
    case vital(VitalSign)
    /// One read-back from the chair's pump.
    case pump(PumpObservation)
    /// The driver could not confirm a pump command (its read-back, when it had one, is inside).
    case pumpCommandFailed(PumpCommandFailure)
    /// A device link came up or went down (the shell decides: 3 s without a valid reply, row 31).
    case link(DeviceRole, isUp: Bool)
    /// The shell's audit store became unable (false) or able again (true) to keep records durably.
    case recordKeeping(isHealthy: Bool)
    /// Time passed; nothing else happened.
    case tick
}

/// Which device of a chair a link belongs to.
public enum DeviceRole: String, Hashable, Sendable, Codable {
    case pump
    case monitor
}

/// One operator command with the identity of who gave it and an id to correlate the reply.
public struct OperatorCommand: Hashable, Sendable, Codable {
    /// Correlation id the result echoes; chosen by the client.
    public var id: String
    /// Who gave the command (recorded with limit events and signatures).
    public var operatorID: String
    public var action: OperatorAction

    public init(id: String, operatorID: String, action: OperatorAction) {
        self.id = id
        self.operatorID = operatorID
        self.action = action
    }
}

/// What an operator can ask of a chair.
public enum OperatorAction: Hashable, Sendable, Codable {
    case intake(IntakeRequest)
    case program(ProgramRequest)
    case start
    /// Change the rate, in any unit; soft limits need `override`.
    case titrate(rate: DoseRate, override: LimitOverride?)
    /// An extra dose pushed on top of the running infusion; soft limits need the request's override.
    case bolus(BolusRequest)
    case pause(reason: String)
    /// Resume after a pause; past the soft session-dose limit it needs `override` with a reason.
    case resume(override: LimitOverride?)
    case stop(reason: String)
    /// Acknowledge one alarm, or all when nil.
    case acknowledge(AlarmCondition?)
    /// Audio pause: silence current alarms for the configured time (120 s).
    case silence
    case changeSyringe(SyringeChangeRequest)
    /// Enter recovery (from complete) and/or record the Aldrete score.
    case recovery(aldrete: AldreteScore?)
    /// A clinician signs the discharge; only when discharge-ready.
    case discharge
    /// The nurse records scores on the configured observation scales (docs/CLINICAL-BASIS.md §8).
    case observe(ObservationRequest)
    /// The nurse records an as-needed medication given at the chair (docs/CLINICAL-BASIS.md §8.10).
    case medicate(MedicationRequest)
    /// `start`, confirming with a reason a pre-start pressure above `core.preStartBloodPressure`
    /// (docs/CLINICAL-BASIS.md §8.3); otherwise the same as `start`.
    case startWithOverride(LimitOverride)

    /// The command's name as the socket protocol spells it.
    public var name: String {
        switch self {
        case .intake: "intake"
        case .program: "program"
        case .start: "start"
        case .titrate: "rate"
        case .bolus: "bolus"
        case .pause: "pause"
        case .resume: "resume"
        case .stop: "stop"
        case .acknowledge: "ack"
        case .silence: "silence"
        case .changeSyringe: "syringe"
        case .recovery: "recovery"
        case .discharge: "discharge"
        case .observe: "observe"
        case .medicate: "medicate"
        case .startWithOverride: "start"
        }
    }
}
