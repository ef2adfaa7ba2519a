/// The pure rate-control and alarm core of one infusion chair.
///
/// Give it every input with the monotonic instant it happened at; it answers with pump commands,
/// events and command results, in order. Same inputs, same outputs: no clock, no I/O, no threads.
/// Call it from one thread only (the control thread owns it). The shell keeps one `ChairCore` per
/// chair.
///
/// Real-time use: `handle(_:at:into:)` appends to a caller-owned buffer; reserve capacity once and
/// `removeAll(keepingCapacity: true)` between calls. A tick on which nothing changes appends nothing
/// and allocates nothing: all per-chair state is fixed-size.
public struct ChairCore: Sendable {
    public let configuration: CoreConfiguration
    public internal(set) var state: SessionState = .idle
    public internal(set) var session: SessionRecord?
    public internal(set) var isPumpLinkUp = false
    public internal(set) var isMonitorLinkUp = false

    var vitals = VitalsMemory()
    var tracker: VitalConditionTracker
    var alarms: AlarmSystem
    var ledger = DeliveryLedger(concentration: MilligramsPerMillilitre(1))
    var supervision = PumpSupervision()
    var pharmacokinetics: PharmacokineticModel?
    /// The last instant handled; time never runs backwards inside the core.
    var clock: MonotonicInstant?
    var nextDeliveryReport: MonotonicInstant?
    /// The blood-pressure alarms announced as waiting for a confirming cuff reading, and since when; nil while
    /// none waits (announced once at the start and once at the end).
    var confirmingCuffReading: OutwardChairStatus.ConfirmingCuffReading?
    /// Since when ECG and pleth rates have disagreed past the configured gap; nil while they agree.
    var heartRateDisagreementSince: MonotonicInstant?
    /// A cuff reading arrived since the last tick: the next tick publishes it with a delivery report,
    /// once the cycle's systolic, diastolic and mean (separate inputs) have all been recorded.
    var cuffReadingToReport = false
    /// Set by a restore until the pump's first read-back reconciles the dose.
    var pendingRestart: PendingRestart?
    /// False while the shell reports that records are not being kept durably.
    var isRecordKeepingHealthy = true
    /// The infusion ends (reason) once a read-back confirms the pump stopped: until then the session
    /// stays where it was, with delivery uncertain.
    var pendingCompletion: String?
    /// The pump's counter was told to clear at the session's first start; until a read-back shows it
    /// cleared, a counter value may still be the previous session's and is not taken.
    var awaitingClearedCounter = false
    /// The last read-back that reported the pump's syringe diameter (and its rate range).
    var pumpSyringeReading: PumpObservation?
    /// When the syringe diameter was last sent to the pump.
    var syringeSetAt: MonotonicInstant?
    /// A fingerprint of the observation status last published (`ObservationStatus`), to publish only
    /// changes; nil: nothing published yet, which is the empty status.
    var publishedObservationStatus: Int?
    /// The delivery certainty last published, to publish only changes.
    var publishedUncertainty = DeliveryUncertainty(reason: nil, since: nil, time: .zero)

    /// A chair with no patient, governed by `configuration` (check `configuration.inconsistencies` first).
    public init(configuration: CoreConfiguration = CoreConfiguration()) {
        self.configuration = configuration
        self.tracker = VitalConditionTracker(rules: configuration.vitalAlarmRules)
        self.alarms = AlarmSystem(policy: configuration.alarms)
    }

    /// Handles one input at `now`, appending the decisions to `output`.
    ///
    /// An instant earlier than one already handled is treated as that earlier instant: the core's time
    /// never runs backwards. A command always yields exactly one `.result`, after every other output of the same input.
    public mutating func handle(_ input: CoreInput, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let now = max(now, clock ?? now)
        advanceClock(to: now, into: &output)
        var answered: (command: OperatorCommand, error: CoreError?)?
        switch input {
        case .command(let command):
            answered = (command, perform(command, at: now, into: &output))
        case .vital(let vital):
            receive(vital)
        case .pump(let observation):
            receive(observation, at: now, into: &output)
        case .pumpCommandFailed(let failure):
            receive(failure, at: now, into: &output)
        case .link(let role, let isUp):
            switch role {
            case .pump: isPumpLinkUp = isUp
            case .monitor: isMonitorLinkUp = isUp
            }
        case .recordKeeping(let isHealthy):
            isRecordKeepingHealthy = isHealthy
        case .tick:
            if cuffReadingToReport {
                cuffReadingToReport = false
                reportDelivery(at: now, into: &output)
            }
        }
        enforceSessionDoseLimits(at: now, into: &output)
        evaluate(at: now, into: &output)
        // The answer comes last, so the chair it shows includes what the command set off (an alarm raised by an
        // intake without a monitor, a pause by the interlock).
        if let answered {
            output.append(.result(CommandResult(commandID: answered.command.id, error: answered.error, after: outwardStatus)))
        }
    }

    /// Convenience for tests and non-real-time callers: the decisions for one input.
    public mutating func handle(_ input: CoreInput, at now: MonotonicInstant) -> [CoreOutput] {
        var output: [CoreOutput] = []
        handle(input, at: now, into: &output)
        return output
    }

    /// Every active or latched alarm.
    public var activeAlarms: [AlarmState] { alarms.alarms }

    /// The state of one alarm condition, if active or latched.
    public func alarm(_ condition: AlarmCondition) -> AlarmState? { alarms.state(of: condition) }

    /// When the audio pause ends; nil when audio is not paused.
    public var audioPausedUntil: MonotonicInstant? { alarms.audioPausedUntil }

    /// Dose delivered this session (the larger of the commanded and pump-reported accounts).
    public var deliveredDose: Milligrams { ledger.deliveredDose }

    /// The flow the core believes the pump delivers now.
    public var deliveringFlow: MillilitresPerHour { ledger.flow }

    /// Why delivery is uncertain now, or nil when the pump's read-back confirms it.
    public var deliveryUncertainty: DeliveryUncertainty.Reason? { publishedUncertainty.reason }

    /// Predicted plasma concentration now (ng/mL), once a patient is taken in.
    public var predictedConcentration: Double? { pharmacokinetics?.plasmaConcentrationNanogramsPerMillilitre }

    private mutating func perform(
        _ command: OperatorCommand,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        if let refusal = refusalWhileUncertain(command.action) { return refusal }
        return switch command.action {
        case .intake(let request): takeIn(request, by: command.operatorID, at: now, into: &output)
        case .program(let request): program(request, by: command.operatorID, at: now, into: &output)
        case .start: baselineRefusal(at: now) ?? start(by: command.operatorID, at: now, into: &output)
        case .startWithOverride(let override):
            baselineRefusal(at: now) ?? start(pressureOverride: override, by: command.operatorID, at: now, into: &output)
        case .titrate(let rate, let override):
            titrate(to: rate, override: override, by: command.operatorID, at: now, into: &output)
        case .bolus(let request): bolus(request, by: command.operatorID, at: now, into: &output)
        case .pause(let reason): pauseByOperator(reason: reason, at: now, into: &output)
        case .resume(let override): resume(override: override, by: command.operatorID, at: now, into: &output)
        case .stop(let reason): stopByOperator(reason: reason, at: now, into: &output)
        case .acknowledge(let condition): acknowledge(condition, at: now, into: &output)
        case .silence: silence(at: now, into: &output)
        case .changeSyringe(let request): changeSyringe(request, at: now, into: &output)
        case .recovery(let aldrete): enterRecovery(aldrete: aldrete, by: command.operatorID, at: now, into: &output)
        case .discharge: discharge(by: command.operatorID, at: now, into: &output)
        case .observe(let request): observe(request, by: command.operatorID, at: now, into: &output)
        case .medicate(let request): medicate(request, by: command.operatorID, at: now, into: &output)
        }
    }

    /// Commands that would start drug flowing, or move the session on, wait until the pump's read-back
    /// confirms the stop in progress. A second stop is refused like one on a complete session: the
    /// core already repeats the first until the pump confirms it.
    private func refusalWhileUncertain(_ action: OperatorAction) -> CoreError? {
        switch action {
        case .stop:
            guard pendingCompletion != nil else { return nil }
            return CoreError(code: "wrong-state", message: "the infusion is already stopping; the pump has not yet confirmed it")
        case .titrate, .bolus, .pause, .resume:
            guard pendingCompletion != nil else { return nil }
            return CoreError(code: "stop-pending", message: "the pump has not yet confirmed the stop")
        case .intake, .recovery, .discharge:
            guard !supervision.isHaltConfirmed || deliveryUncertainty != nil else { return nil }
            return CoreError(
                code: "delivery-uncertain", message: "the pump has not confirmed that it stopped; check the pump")
        default:
            return nil
        }
    }

    private mutating func acknowledge(
        _ condition: AlarmCondition?,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> CoreError? {
        alarms.acknowledge(condition, at: now, into: &output)
        return nil
    }

    private mutating func silence(at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        alarms.pauseAudio(at: now, into: &output)
        return nil
    }

    /// Moves the session to `next`, publishing the transition.
    mutating func transition(
        to next: SessionState,
        reason: String,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        guard next != state else { return }
        pendingCompletion = nil
        if state == .infusing { cancelBolus(leavingFor: next, at: now, into: &output) }
        output.append(.event(.session(SessionTransition(
            from: state, to: next, reason: reason, time: now, session: session.map(SessionOutline.init)))))
        state = next
    }
}
