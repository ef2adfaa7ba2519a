/// The data of every chair event (docs/PROTOCOL.md "Chair events"): the chair it concerns and the event's own
/// record. The protocol's own types, so a field is renamed only here; the daemon maps the core's events to
/// them in one place (`CoreEvent+Wire.swift`).
public struct ChairEventData<Detail: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var chair: String
    public var detail: Detail
    public init(chair: String, detail: Detail) {
        self.chair = chair
        self.detail = detail
    }
}

/// `session.state`: the session moved from one state to another.
public struct SessionStateChange: Codable, Sendable, Hashable {
    public var from: WireSessionState
    public var to: WireSessionState
    /// Why, as a stable kebab-case word (`operator`, `interlock`, `dose-reached`, `intake`, ...).
    public var reason: String
    public var time: WireTimestamp
    /// The session after the transition; absent without a patient.
    public var session: WireSessionOutline?
    public init(from: WireSessionState, to: WireSessionState, reason: String, time: WireTimestamp, session: WireSessionOutline?) {
        (self.from, self.to, self.reason, self.time, self.session) = (from, to, reason, time, session)
    }
}

/// What a display shows of a session beside its state.
public struct WireSessionOutline: Codable, Sendable, Hashable {
    /// The patient's identifier as entered at intake; absent in events journalled before it was sent.
    public var patientID: String?
    public var profileID: String
    public var drugName: String
    /// The dosing weight, kg.
    public var weight: Double
    public var enteredWeight: Double
    public var weightUnit: WireWeightUnit
    public var doseRateUnit: WireDoseRateUnit
    /// mg/mL; absent before programming.
    public var concentration: Double?
    /// mg; absent before programming or when the program runs until stopped.
    public var programmedDose: Double?
    public var predictedConcentrationLimits: WireLimitBand
    /// How intake screened the patient; absent in events journalled before it was kept.
    public var screening: WireScreening?
    /// The start confirmed above the pre-start blood pressure, if there was one.
    public var preStartPressureOverride: WirePreStartPressureOverride?
    public init(
        patientID: String?, profileID: String, drugName: String, weight: Double, enteredWeight: Double, weightUnit: WireWeightUnit,
        doseRateUnit: WireDoseRateUnit, concentration: Double?, programmedDose: Double?, predictedConcentrationLimits: WireLimitBand
    ) {
        (self.patientID, self.profileID, self.drugName, self.weight, self.enteredWeight, self.weightUnit) =
            (patientID, profileID, drugName, weight, enteredWeight, weightUnit)
        (self.doseRateUnit, self.concentration, self.programmedDose, self.predictedConcentrationLimits) =
            (doseRateUnit, concentration, programmedDose, predictedConcentrationLimits)
    }
}

/// `alarm.raised`, `alarm.escalated`, ...: one alarm transition.
public struct AlarmTransitionData: Codable, Sendable, Hashable {
    public enum Transition: String, Codable, Sendable, Hashable, CaseIterable {
        case raised, escalated, deescalated, latched, acknowledged, cleared
    }

    public var condition: WireAlarmCondition
    public var category: WireAlarmCategory
    public var transition: Transition
    public var priority: WireAlarmPriority
    /// Whether the alarm sounds after this transition.
    public var isAudible: Bool
    public var time: WireTimestamp
    public init(
        condition: WireAlarmCondition, category: WireAlarmCategory, transition: Transition, priority: WireAlarmPriority,
        isAudible: Bool, time: WireTimestamp
    ) {
        (self.condition, self.category, self.transition, self.priority, self.isAudible, self.time) =
            (condition, category, transition, priority, isAudible, time)
    }
}

/// `alarm.audio-pause`: the audio pause started (with its end) or ended.
public struct AudioPauseData: Codable, Sendable, Hashable {
    public var isPaused: Bool
    public var until: WireTimestamp?
    public var time: WireTimestamp
    public init(isPaused: Bool, until: WireTimestamp?, time: WireTimestamp) {
        (self.isPaused, self.until, self.time) = (isPaused, until, time)
    }
}

/// `limit`: one limit check and how it ended.
public struct LimitData: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case doseRate, absoluteDoseRate, flowRate, sessionDose, absoluteSessionDose, bolus, weight, predictedConcentration
        case concentration, titrationStep, titrationInterval
        /// The cross-session limits checked at intake.
        case sessionInterval, sessionsInWindow, weightChange
    }

    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        case hardRefused, softRefused, softOverridden
    }

    public enum Side: String, Codable, Sendable, Hashable, CaseIterable {
        case above, below
    }

    public var kind: Kind
    public var outcome: Outcome
    public var side: Side
    public var requested: Double
    public var limit: Double
    public var reason: String?
    public var operatorID: String
    public var profileID: String
    public var libraryVersion: String
    public var time: WireTimestamp
    public init(
        kind: Kind, outcome: Outcome, side: Side, requested: Double, limit: Double, reason: String?, operatorID: String,
        profileID: String, libraryVersion: String, time: WireTimestamp
    ) {
        (self.kind, self.outcome, self.side, self.requested, self.limit) = (kind, outcome, side, requested, limit)
        (self.reason, self.operatorID, self.profileID, self.libraryVersion, self.time) =
            (reason, operatorID, profileID, libraryVersion, time)
    }
}

/// `interlock`: the interlock paused the pump, or waits for a confirming cuff reading.
public struct InterlockData: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case paused, awaitingConfirmingReading, awaitingConfirmingReadingEnded
    }

    public var kind: Kind
    public var causes: [WireAlarmCondition]
    public var time: WireTimestamp
    public init(kind: Kind, causes: [WireAlarmCondition], time: WireTimestamp) {
        (self.kind, self.causes, self.time) = (kind, causes, time)
    }
}

/// `pump.delivery`: the delivery account and the prediction.
public struct DeliveryData: Codable, Sendable, Hashable {
    /// mL/h commanded now.
    public var flow: Double
    public var doseRate: WireDoseRate
    /// mg: delivered (the larger account), commanded, and reported by the pump.
    public var deliveredDose: Double
    public var commandedDose: Double
    public var reportedDose: Double
    /// ng/mL, an estimate.
    public var predictedConcentration: Double
    public var time: WireTimestamp
    public var bloodPressure: WireCuffPressure?
    public var syringeRemainingMillilitres: Double?
    public init(
        flow: Double, doseRate: WireDoseRate, deliveredDose: Double, commandedDose: Double, reportedDose: Double,
        predictedConcentration: Double, time: WireTimestamp, bloodPressure: WireCuffPressure?, syringeRemainingMillilitres: Double?
    ) {
        (self.flow, self.doseRate, self.deliveredDose, self.commandedDose, self.reportedDose) =
            (flow, doseRate, deliveredDose, commandedDose, reportedDose)
        (self.predictedConcentration, self.time, self.bloodPressure, self.syringeRemainingMillilitres) =
            (predictedConcentration, time, bloodPressure, syringeRemainingMillilitres)
    }
}

/// `pump.delivery-certainty`: whether the core knows what the pump delivers.
public struct DeliveryCertaintyData: Codable, Sendable, Hashable {
    /// Absent once delivery is certain again.
    public var reason: WireDeliveryUncertainty?
    public var since: WireTimestamp?
    public var time: WireTimestamp
    public init(reason: WireDeliveryUncertainty?, since: WireTimestamp?, time: WireTimestamp) {
        (self.reason, self.since, self.time) = (reason, since, time)
    }
}

/// A pump's run state as it reports it.
public enum WirePumpRunState: String, Codable, Sendable, Hashable, CaseIterable {
    case infusing, paused, stopped, alarmed, unknown
}

/// `session.restored` and `session.reconciled`: the daemon restarted and rebuilt the chair.
public struct RestartData: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case restored, reconciled
    }

    public var kind: Kind
    public var state: WireSessionState
    public var deliveredDoseAtCheckpoint: Double
    public var deliveredDose: Double
    public var outageSeconds: Double
    public var pumpState: WirePumpRunState?
    public var pumpStoppedDuringOutage: Bool
    public var safeModeExpired: Bool
    public var time: WireTimestamp
    /// `reconciled`: the programme's rate in the checkpoint and the rate the pump reported, mL/h.
    public var checkpointRateMillilitresPerHour: Double?
    public var pumpRateMillilitresPerHour: Double?
    /// `reconciled`: the pump's lower rate became the programme's (the checkpoint predated the last rate
    /// carried out; docs/CORE.md "Restart").
    public var rateTakenFromPump: Bool?
    public init(
        kind: Kind, state: WireSessionState, deliveredDoseAtCheckpoint: Double, deliveredDose: Double, outageSeconds: Double,
        pumpState: WirePumpRunState?, pumpStoppedDuringOutage: Bool, safeModeExpired: Bool, time: WireTimestamp,
        checkpointRateMillilitresPerHour: Double? = nil, pumpRateMillilitresPerHour: Double? = nil,
        rateTakenFromPump: Bool? = nil
    ) {
        (self.kind, self.state, self.deliveredDoseAtCheckpoint, self.deliveredDose, self.outageSeconds) =
            (kind, state, deliveredDoseAtCheckpoint, deliveredDose, outageSeconds)
        (self.pumpState, self.pumpStoppedDuringOutage, self.safeModeExpired, self.time) =
            (pumpState, pumpStoppedDuringOutage, safeModeExpired, time)
        (self.checkpointRateMillilitresPerHour, self.pumpRateMillilitresPerHour, self.rateTakenFromPump) =
            (checkpointRateMillilitresPerHour, pumpRateMillilitresPerHour, rateTakenFromPump)
    }

}

/// `session.bolus`: a bolus started, finished or was cut short.
public struct BolusData: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case started, finished, cancelled
    }

    public var kind: Kind
    /// mg, and the flow (mL/h) that pushes it over `seconds`.
    public var dose: Double
    public var flow: Double
    public var seconds: Double
    public var endsAt: WireTimestamp
    public var deliveredDose: Double
    public var reason: String?
    public var time: WireTimestamp
    public init(
        kind: Kind, dose: Double, flow: Double, seconds: Double, endsAt: WireTimestamp, deliveredDose: Double, reason: String?,
        time: WireTimestamp
    ) {
        (self.kind, self.dose, self.flow, self.seconds, self.endsAt, self.deliveredDose, self.reason, self.time) =
            (kind, dose, flow, seconds, endsAt, deliveredDose, reason, time)
    }
}

/// `observation`: the nurse recorded scores.
public struct ObservationData: Codable, Sendable, Hashable {
    public struct Score: Codable, Sendable, Hashable {
        public var scale: String
        public var value: Int
        public init(scale: String, value: Int) { (self.scale, self.value) = (scale, value) }
    }

    public var scores: [Score]
    public var note: String?
    public var operatorID: String
    public var time: WireTimestamp
    public init(scores: [Score], note: String?, operatorID: String, time: WireTimestamp) {
        (self.scores, self.note, self.operatorID, self.time) = (scores, note, operatorID, time)
    }
}

/// `observation.status`: what is due and what discharge still misses.
public struct ObservationStatusData: Codable, Sendable, Hashable {
    public var due: [WireDueObservation]
    public var missingDischargeCriteria: [WireMissingCriterion]?
    public var time: WireTimestamp
    public init(due: [WireDueObservation], missingDischargeCriteria: [WireMissingCriterion]?, time: WireTimestamp) {
        (self.due, self.missingDischargeCriteria, self.time) = (due, missingDischargeCriteria, time)
    }
}
