/// What the shell keeps of a chair so a restarted daemon can rebuild its session (issue 7): the session,
/// its state, the delivery account, the drug already in the body, and the alarms that paused it. Other
/// alarms, vitals and the pump's read-back history are not kept: they are re-derived from the devices
/// after the restart.
public struct ChairCheckpoint: Hashable, Sendable, Codable {
    public var state: SessionState
    public var session: SessionRecord?
    /// Dose delivered when the checkpoint was taken (also inside `ledger`; kept readable for people).
    public var deliveredDose: Milligrams
    /// The flow the core had commanded when the checkpoint was taken.
    public var flow: MillilitresPerHour
    var ledger: DeliveryLedger
    var pharmacokinetics: PharmacokineticModel?
    /// The alarms behind `session.pauseCauses` when the checkpoint was taken: restored latched, so a
    /// person still acknowledges each before a resume (issue 17 item 7).
    public var pauseCauseAlarms: [AlarmState] = []
    /// The chair's latest order from the order system (docs/INTEGRATION.md "Inbound orders").
    public var order: ChairOrder?

    /// Whether there is a session to rebuild: a patient is at the chair.
    public var holdsSession: Bool { session != nil && state.monitorsPatient }

    /// Whether a restart has anything to restore: a session, or an order still waiting for the nurse.
    public var holdsAnything: Bool { holdsSession || order?.isPending == true }

    /// The state a restored session starts in: an infusing one is paused at once, because nobody watched
    /// the patient during the outage (the safe state; never resumed by the core).
    public var stateAfterRestore: SessionState { state == .infusing ? .paused : state }

    /// The same checkpoint with every instant moved by `offset`, for a restart on a clock with another
    /// origin (after a reboot `CLOCK_MONOTONIC` starts again from zero).
    public func shifted(by offset: Duration) -> ChairCheckpoint {
        var copy = self
        copy.session?.takenInAt = session?.takenInAt.map { $0 + offset }
        copy.session?.infusionStartedAt = session?.infusionStartedAt.map { $0 + offset }
        copy.session?.infusionEndedAt = session?.infusionEndedAt.map { $0 + offset }
        copy.session?.lastRateIncreaseAt = session?.lastRateIncreaseAt.map { $0 + offset }
        copy.session?.observations = session?.observations.mapValues { observation in
            var shifted = observation
            shifted.time = observation.time + offset
            return shifted
        } ?? [:]
        copy.session?.medications = session?.medications.map { given in
            var shifted = given
            shifted.time = given.time + offset
            return shifted
        } ?? []
        copy.session?.preStartPressureOverride?.time = (session?.preStartPressureOverride?.time ?? .zero) + offset
        copy.pauseCauseAlarms = pauseCauseAlarms.map { alarm in
            var shifted = alarm
            shifted.raisedAt = alarm.raisedAt + offset
            return shifted
        }
        if let order {
            copy.order?.stagedAt = order.stagedAt + offset
            copy.order?.acceptedAt = order.acceptedAt.map { $0 + offset }
        }
        if let bolus = session?.bolus {
            copy.session?.bolus?.startedAt = bolus.startedAt + offset
            copy.session?.bolus?.endsAt = bolus.endsAt + offset
        }
        return copy
    }
}

extension ChairCheckpoint {
    enum CodingKeys: String, CodingKey {
        case state, session, deliveredDose, flow, ledger, pharmacokinetics, pauseCauseAlarms, order
    }

    /// Reads checkpoints written before `pauseCauseAlarms` existed as having none (see
    /// `SessionRecord.init(from:)` for why old checkpoints must stay readable).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        state = try c.decode(SessionState.self, forKey: .state)
        session = try c.decodeIfPresent(SessionRecord.self, forKey: .session)
        deliveredDose = try c.decode(Milligrams.self, forKey: .deliveredDose)
        flow = try c.decode(MillilitresPerHour.self, forKey: .flow)
        ledger = try c.decode(DeliveryLedger.self, forKey: .ledger)
        pharmacokinetics = try c.decodeIfPresent(PharmacokineticModel.self, forKey: .pharmacokinetics)
        pauseCauseAlarms = try c.decode(.pauseCauseAlarms, default: [])
        order = try c.decodeIfPresent(ChairOrder.self, forKey: .order)
    }
}

/// The restart as the core reports it: once when the session is rebuilt, once when the pump's first
/// read-back reconciled the dose.
public struct RestartEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The session was rebuilt from the checkpoint.
        case restored
        /// The pump answered: its counter and state were compared with the checkpoint.
        case reconciled
    }

    public var kind: Kind
    public var state: SessionState
    /// Dose delivered according to the checkpoint.
    public var deliveredDoseAtCheckpoint: Milligrams
    /// Dose delivered now, after the pump's counter was taken into account.
    public var deliveredDose: Milligrams
    /// How long the chair went unsupervised, as far as the shell could tell.
    public var outageSeconds: Double
    /// The pump's state at its first read-back (reconciled only).
    public var pumpState: PumpRunState?
    /// The session was infusing but the pump had stopped by itself meanwhile (for example its
    /// communication safe mode expired).
    public var pumpStoppedDuringOutage: Bool
    /// The pump reported that its communication timeout (safe mode) stopped it.
    public var safeModeExpired: Bool
    public var time: MonotonicInstant
    /// The programme's rate in the checkpoint (reconciled only).
    public var checkpointRate: MillilitresPerHour?
    /// The rate the pump reported at its first read-back (reconciled only, when it reported one).
    public var pumpRate: MillilitresPerHour?
    /// Whether the pump's lower rate became the programme's because the checkpoint predated the last rate
    /// carried out (reconciled only; `ChairCore.rateToKeep`). Optional so records written before it read.
    public var rateTakenFromPump: Bool?
}

/// What a restored chair still waits for: the pump's first read-back.
struct PendingRestart: Hashable, Sendable {
    var deliveredDoseAtCheckpoint: Milligrams
    var outage: Duration
    /// The state the checkpoint held, before the restart paused it.
    var stateAtCheckpoint: SessionState
}
