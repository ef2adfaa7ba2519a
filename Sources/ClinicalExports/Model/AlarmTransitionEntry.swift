public import InfusionCore

/// An alarm changed state. Carries what IHE PCD ACM needs to report it: the event code, the source
/// metric and value for physiological alarms, the device it concerns.
public struct AlarmTransitionEntry: Hashable, Sendable, Codable {
    public var time: UTCInstant
    /// The core's condition name (e.g. "spo2Low"); free text to the exports.
    public var condition: String
    public var category: AlarmCategory
    public var priority: AlarmPriority
    public var transition: AlarmTransition
    /// The IEEE 11073 event code, where the nomenclature has one for the condition.
    public var event: MDCCode?
    /// The device the alarm is about (the monitor for physiological alarms).
    public var device: DeviceRole
    /// For physiological alarms: the metric that crossed its limit, and its value then.
    public var sourceParameter: VitalParameter?
    public var sourceValue: Double?

    public init(
        time: UTCInstant, condition: String, category: AlarmCategory, priority: AlarmPriority,
        transition: AlarmTransition, event: MDCCode?, device: DeviceRole, sourceParameter: VitalParameter? = nil,
        sourceValue: Double? = nil
    ) {
        self.time = time
        self.condition = condition
        self.category = category
        self.priority = priority
        self.transition = transition
        self.event = event
        self.device = device
        self.sourceParameter = sourceParameter
        self.sourceValue = sourceValue
    }

    /// The entry for a core alarm condition, with its event code, device and source metric filled
    /// in from ``AlarmCondition/exportDescriptor``.
    public init(
        time: UTCInstant, condition: AlarmCondition, priority: AlarmPriority, transition: AlarmTransition,
        sourceValue: Double? = nil
    ) {
        let descriptor = condition.exportDescriptor
        self.init(
            time: time, condition: condition.rawValue, category: condition.category, priority: priority,
            transition: transition, event: descriptor.event, device: descriptor.device,
            sourceParameter: descriptor.sourceParameter, sourceValue: sourceValue)
    }
}

/// How an alarm condition appears in the exports.
public struct AlarmExportDescriptor: Hashable, Sendable {
    /// The 11073 event, where docs/CLINICAL-BASIS.md §4.1 lists one for the condition.
    public var event: MDCCode?
    public var device: DeviceRole
    public var sourceParameter: VitalParameter?
}

extension AlarmCondition {
    /// Event codes, device and source metric for each condition. Only codes docs/CLINICAL-BASIS.md §4.1 gives
    /// (from the IHE PCD TF) are used; a condition without one is reported as a generic
    /// MDC_EVT_ALARM with its name as text, never with a guessed code.
    public var exportDescriptor: AlarmExportDescriptor {
        let low = MDCCode(196_670, "MDC_EVT_LO")
        switch self {
        case .spo2Low: return AlarmExportDescriptor(event: low, device: .monitor, sourceParameter: .spo2)
        case .systolicLow: return AlarmExportDescriptor(event: low, device: .monitor, sourceParameter: .nibpSystolic)
        case .diastolicLow: return AlarmExportDescriptor(event: low, device: .monitor, sourceParameter: .nibpDiastolic)
        case .heartRateLow: return AlarmExportDescriptor(event: low, device: .monitor, sourceParameter: .pulseRate)
        case .systolicHigh: return AlarmExportDescriptor(event: nil, device: .monitor, sourceParameter: .nibpSystolic)
        case .diastolicHigh:
            return AlarmExportDescriptor(event: nil, device: .monitor, sourceParameter: .nibpDiastolic)
        case .heartRateHigh: return AlarmExportDescriptor(event: nil, device: .monitor, sourceParameter: .pulseRate)
        case .noPulse: return AlarmExportDescriptor(event: nil, device: .monitor, sourceParameter: .pulseRate)
        case .pumpOcclusion:
            return AlarmExportDescriptor(event: MDCCode(196_940, "MDC_EVT_FLUID_LINE_OCCL"), device: .pump)
        // A reminder to observe the patient belongs with the patient's monitoring.
        case .monitorLinkLost, .staleVitals, .heartRateSourcesDisagree, .observationDue:
            return AlarmExportDescriptor(event: nil, device: .monitor)
        case .bloodPressureOverdue:
            return AlarmExportDescriptor(event: nil, device: .monitor, sourceParameter: .nibpSystolic)
        case .pumpLinkLost, .pumpSyringeEmpty, .pumpNearEmpty, .pumpStall, .pumpFault, .pumpSyringeMismatch,
            .readBackMismatch,
            .commandUnconfirmed, .volumeDivergence:
            return AlarmExportDescriptor(event: nil, device: .pump)
        // The daemon's own conditions concern the infusion the pump delivers.
        case .restartRecovery, .recordKeepingFailure, .sessionDoseSoftLimit:
            return AlarmExportDescriptor(event: nil, device: .pump)
        }
    }
}
