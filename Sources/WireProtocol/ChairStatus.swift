/// One chair as `status` lists it and as a chair command's reply shows it after the command: the protocol's
/// own type, so a field is renamed only here, on purpose (docs/PROTOCOL.md "status" describes each field). The
/// daemon maps its state to it in one place (`ChairSnapshot+Wire.swift`); `infusionctl` and `top` decode it.
/// Fields without a value are left out of the JSON.
public struct ChairStatus: Codable, Sendable, Hashable {
    public var id: String
    public var state: WireSessionState
    /// The flow the pump is confirmed to deliver (mL/h); absent while delivery is uncertain.
    public var flowMillilitresPerHour: Double?
    public var commandedFlowMillilitresPerHour: Double
    public var deliveryUncertain: Bool
    public var deliveryUncertainReason: WireDeliveryUncertainty?
    public var deliveryUncertainSince: WireTimestamp?
    public var doseRate: WireDoseRate?
    public var deliveredMilligrams: Double
    /// Predicted plasma concentration (ng/mL): an estimate, never a measurement.
    public var predictedConcentration: Double?
    /// Active conditions with their priority only (kept for older clients; `activeAlarms` has the rest).
    public var alarms: [String: WireAlarmPriority]
    /// The patient's identifier as entered at intake; absent without a patient.
    public var patientID: String?
    public var profileID: String?
    public var drugName: String?
    public var weightKilograms: Double?
    public var enteredWeight: Double?
    public var weightUnit: WireWeightUnit?
    public var concentrationMilligramsPerMillilitre: Double?
    public var programmedMilligrams: Double?
    public var predictedConcentrationLimits: WireLimitBand?
    public var bloodPressure: WireCuffPressure?
    public var syringeRemainingMillilitres: Double?
    public var vitals: [ChairVital]
    /// When this patient was taken in.
    public var takenInAt: WireTimestamp?
    public var confirmingCuffReadingRequested: WireConfirmingCuffRequest?
    public var activeAlarms: [WireActiveAlarm]
    public var audioPausedUntil: WireTimestamp?
    public var estimatedCompletion: WireTimestamp?
    public var bolusEndsAt: WireTimestamp?
    /// The nurse's latest score per observation scale this session, keyed by scale id.
    public var observations: [String: WireObservation]
    public var dueObservations: [WireDueObservation]
    /// In recovery and discharge-ready only: the discharge criteria not yet met.
    public var missingDischargeCriteria: [WireMissingCriterion]?
    /// The as-needed medications given this session, in the order given (empty without any; absent in lines
    /// written before medications were recorded).
    public var medications: [WireMedication]?
    /// How intake screened the patient; absent without a patient.
    public var screening: WireScreening?
    /// The start confirmed above the pre-start blood pressure, if there was one.
    public var preStartPressureOverride: WirePreStartPressureOverride?
    /// The moment the derived fields below are as of.
    public var time: WireTimestamp
    public var secondsLeft: Double?
    public var bloodPressureAgeSeconds: Double?
    public var audioPauseSecondsLeft: Double?
    public var bolusSecondsLeft: Double?

    public init(id: String, state: WireSessionState, time: WireTimestamp) {
        self.id = id
        self.state = state
        self.time = time
        commandedFlowMillilitresPerHour = 0
        deliveryUncertain = false
        deliveredMilligrams = 0
        alarms = [:]
        vitals = []
        activeAlarms = []
        observations = [:]
        dueObservations = []
    }
}

/// A chair session's state (docs/CORE.md).
public enum WireSessionState: String, Codable, Sendable, Hashable, CaseIterable {
    case idle, intake, programmed, infusing, paused, complete, recovery, dischargeReady, discharged
}

/// IEC 60601-1-8 alarm priorities.
public enum WireAlarmPriority: String, Codable, Sendable, Hashable, CaseIterable {
    case low, medium, high
}

/// Whether an alarm is about the patient or the equipment.
public enum WireAlarmCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case physiological, technical
}

/// Every alarm condition the daemon raises (docs/CORE.md has what raises each).
public enum WireAlarmCondition: String, Codable, Sendable, Hashable, CaseIterable {
    case spo2Low, systolicHigh, systolicLow, diastolicHigh, diastolicLow, heartRateHigh, heartRateLow, noPulse
    case pumpLinkLost, monitorLinkLost, staleVitals, heartRateSourcesDisagree, bloodPressureOverdue, observationDue
    case pumpOcclusion, pumpSyringeEmpty, pumpNearEmpty, pumpStall, pumpFault, pumpSyringeMismatch, readBackMismatch
    case commandUnconfirmed, volumeDivergence, sessionDoseSoftLimit, restartRecovery, recordKeepingFailure
}

/// The unit a weight was entered in.
public enum WireWeightUnit: String, Codable, Sendable, Hashable, CaseIterable {
    case kg, lb
}

/// The units a dose rate is stated in.
public enum WireDoseRateUnit: String, Codable, Sendable, Hashable, CaseIterable {
    case milligramsPerKilogramPerHour = "mg/kg/h"
    case milligramsPerHour = "mg/h"
    case millilitresPerHour = "mL/h"
}

/// Why delivery is uncertain (`pump.delivery-certainty`).
public enum WireDeliveryUncertainty: String, Codable, Sendable, Hashable, CaseIterable {
    case pumpLinkDown = "pump-link-down"
    case pumpNotStopped = "pump-not-stopped"
    case commandNotConfirmed = "command-not-confirmed"
    case commandNotCarriedOut = "command-not-carried-out"
    case readBackMismatch = "read-back-mismatch"
}

/// A rate in the program's dose unit.
public struct WireDoseRate: Codable, Sendable, Hashable {
    public var value: Double
    public var unit: WireDoseRateUnit
    public init(value: Double, unit: WireDoseRateUnit) {
        self.value = value
        self.unit = unit
    }
}

/// A library entry's limits on one quantity; a bound left out does not apply.
public struct WireLimitBand: Codable, Sendable, Hashable {
    public var hardMinimum: Double?
    public var softMinimum: Double?
    public var softMaximum: Double?
    public var hardMaximum: Double?
    public init(hardMinimum: Double?, softMinimum: Double?, softMaximum: Double?, hardMaximum: Double?) {
        self.hardMinimum = hardMinimum
        self.softMinimum = softMinimum
        self.softMaximum = softMaximum
        self.hardMaximum = hardMaximum
    }
}

/// The latest trustworthy cuff pressure (mmHg) and when it was taken.
public struct WireCuffPressure: Codable, Sendable, Hashable {
    public var systolic: Double
    public var diastolic: Double?
    public var mean: Double?
    public var time: WireTimestamp
    public init(systolic: Double, diastolic: Double?, mean: Double?, time: WireTimestamp) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.mean = mean
        self.time = time
    }
}

/// The alarms waiting for a confirming cuff reading, and since when the nurse has been asked for it.
public struct WireConfirmingCuffRequest: Codable, Sendable, Hashable {
    public var causes: [WireAlarmCondition]
    public var since: WireTimestamp
    public init(causes: [WireAlarmCondition], since: WireTimestamp) {
        self.causes = causes
        self.since = since
    }
}

/// One active or latched alarm with its IEC 60601-1-8 inactivation state.
public struct WireActiveAlarm: Codable, Sendable, Hashable {
    public var condition: WireAlarmCondition
    public var category: WireAlarmCategory
    public var priority: WireAlarmPriority
    public var isAcknowledged: Bool
    public var isAudioPaused: Bool
    public var isLatched: Bool
    public var raisedAt: WireTimestamp
    public init(
        condition: WireAlarmCondition, category: WireAlarmCategory, priority: WireAlarmPriority, isAcknowledged: Bool,
        isAudioPaused: Bool, isLatched: Bool, raisedAt: WireTimestamp
    ) {
        self.condition = condition
        self.category = category
        self.priority = priority
        self.isAcknowledged = isAcknowledged
        self.isAudioPaused = isAudioPaused
        self.isLatched = isLatched
        self.raisedAt = raisedAt
    }
}

/// The nurse's latest score of one scale.
public struct WireObservation: Codable, Sendable, Hashable {
    public var value: Int
    public var time: WireTimestamp
    public var operatorID: String?
    public var ageSeconds: Double?
    public init(value: Int, time: WireTimestamp, operatorID: String?, ageSeconds: Double?) {
        self.value = value
        self.time = time
        self.operatorID = operatorID
        self.ageSeconds = ageSeconds
    }
}

/// A scheduled observation due since `since`.
public struct WireDueObservation: Codable, Sendable, Hashable {
    public var scale: String
    public var since: WireTimestamp
    public init(scale: String, since: WireTimestamp) {
        self.scale = scale
        self.since = since
    }
}

/// A discharge criterion not yet met.
public struct WireMissingCriterion: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case pumpStopped, observationTime, bloodPressure, score, alarms
    }

    public var kind: Kind
    public var scale: String?
    public var message: String
    public init(kind: Kind, scale: String?, message: String) {
        self.kind = kind
        self.scale = scale
        self.message = message
    }
}
