/// How the alarm system treats each condition: latching, the priority of technical conditions,
/// audio pause and escalation. Every field decodes with its default when absent.
public struct AlarmPolicy: Hashable, Sendable, Codable {
    /// Conditions whose signal continues after the trigger ends, until acknowledged. IEC 60601-1-8:
    /// the responsible organisation decides which latch (docs/CLINICAL-BASIS.md §3.2). [D] default: every
    /// physiological condition that can pause the pump, and every technical condition that did.
    public var latching: Set<AlarmCondition>
    /// Priority of each technical condition (physiological priorities come from the vital rules).
    public var technicalPriorities: [AlarmCondition: AlarmPriority]
    /// Audio-paused duration: 120 s, expiring by itself (row 28).
    public var audioPauseSeconds: Double
    /// A medium alarm nobody acknowledges for this long becomes high. docs/CLINICAL-BASIS.md §3.2 describes
    /// escalation but gives no time; [D] of this module: 300 s. Nil disables escalation.
    public var escalateUnacknowledgedMediumAfterSeconds: Double?

    public init(
        latching: Set<AlarmCondition> = AlarmPolicy.defaultLatching,
        technicalPriorities: [AlarmCondition: AlarmPriority] = AlarmPolicy.defaultTechnicalPriorities,
        audioPauseSeconds: Double = 120,
        escalateUnacknowledgedMediumAfterSeconds: Double? = 300
    ) {
        self.latching = latching
        self.technicalPriorities = technicalPriorities
        self.audioPauseSeconds = audioPauseSeconds
        self.escalateUnacknowledgedMediumAfterSeconds = escalateUnacknowledgedMediumAfterSeconds
    }

    public static let defaultLatching: Set<AlarmCondition> = [
        .spo2Low, .systolicHigh, .diastolicHigh, .heartRateHigh, .heartRateLow, .noPulse,
        .pumpLinkLost, .monitorLinkLost, .staleVitals, .pumpOcclusion, .pumpStall, .pumpFault,
        .readBackMismatch, .commandUnconfirmed, .volumeDivergence, .restartRecovery,
    ]

    public static let defaultTechnicalPriorities: [AlarmCondition: AlarmPriority] = [
        // Communication loss: HIGH technical alarm (row 31, §6.3). The monitor's alarms (monitorLinkLost,
        // staleVitals) take their priority from the part of the session instead: MonitorAlarmPriorities.
        .pumpLinkLost: .high,
        // [D]: a disagreement between ECG and pleth rates asks for a look, no more: each source still alarms
        // on its own (IEC 60601-1-8 LOW, "awareness", §3.2).
        .heartRateSourcesDisagree: .low,
        // A cuff pressure older than 1.5 × the cycle is a MEDIUM technical alarm (§1.6 [D]).
        .bloodPressureOverdue: .medium,
        // [D]: a scheduled observation is due; the nurse needs to know, the patient is watched by the monitor
        // meanwhile (IEC 60601-1-8 LOW, "awareness", §3.2; docs/CLINICAL-BASIS.md §8.8).
        .observationDue: .low,
        // Occlusion is HIGH (row 20); a stall is treated the same.
        .pumpOcclusion: .high, .pumpStall: .high,
        // End of infusion / syringe empty is medium or high, near-end low or medium (§3.1 [M]).
        .pumpSyringeEmpty: .high, .pumpNearEmpty: .low,
        // A single fault that could over-infuse: stop and HIGH (§3.1 [M]).
        .pumpFault: .high,
        // [D]: a wrong syringe diameter scales every volume (docs/DEVICE-BASIS.md §1); the start or resume was
        // refused, so nothing flows, but the chair cannot go on until someone checks the syringe (medium).
        .pumpSyringeMismatch: .medium,
        // Read-back mismatch: STOP + HIGH (§6.3); an unconfirmed command is the same doubt.
        .readBackMismatch: .high, .commandUnconfirmed: .high,
        // Volume divergence (§6.3) may mean over-infusion: HIGH, as for a single fault (§3.1).
        .volumeDivergence: .high,
        // [D] of this module, no published number: a restart left the chair unsupervised for a while and the
        // delivered dose is reconciled from the pump's counter; a person must look, but the pump is already
        // paused (medium, escalating to high after the escalation time when nobody acknowledges it).
        .restartRecovery: .medium,
        // [D]: records held or lost do not harm the patient now, but the clinic must know (IEC 60601-1-8
        // technical alarm; medium so it escalates when ignored).
        .recordKeepingFailure: .medium,
        // [D]: the pump is already paused at the soft session-dose limit and the patient is not harmed by
        // the pause; someone must decide promptly (medium, escalating when nobody acknowledges it).
        .sessionDoseSoftLimit: .medium,
    ]

    enum CodingKeys: String, CodingKey {
        case latching, technicalPriorities, audioPauseSeconds, escalateUnacknowledgedMediumAfterSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = AlarmPolicy()
        latching = try c.decode(.latching, default: base.latching)
        // Configured priorities override the defaults one condition at a time.
        let configured = try c.decode(.technicalPriorities, default: [AlarmCondition: AlarmPriority]())
        technicalPriorities = base.technicalPriorities.merging(configured) { _, new in new }
        audioPauseSeconds = try c.decode(.audioPauseSeconds, default: base.audioPauseSeconds)
        if c.contains(.escalateUnacknowledgedMediumAfterSeconds),
            try c.decodeNil(forKey: .escalateUnacknowledgedMediumAfterSeconds)
        {
            escalateUnacknowledgedMediumAfterSeconds = nil
        } else {
            escalateUnacknowledgedMediumAfterSeconds = try c.decode(
                .escalateUnacknowledgedMediumAfterSeconds, default: base.escalateUnacknowledgedMediumAfterSeconds
            )
        }
    }

    /// The priority a technical condition is raised at (high when unconfigured: the safe side).
    func priority(of condition: AlarmCondition) -> AlarmPriority {
        technicalPriorities[condition] ?? .high
    }
}

extension AlarmCondition: CodingKeyRepresentable {}
