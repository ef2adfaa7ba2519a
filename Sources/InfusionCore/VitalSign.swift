/// The vital-sign parameters infusiond watches, each named by its ISO/IEEE 11073-10101 term.
///
/// Codes and units: docs/CLINICAL-BASIS.md section 4.1 (IHE PCD Technical Framework, RTMMS).
public enum VitalParameter: String, CaseIterable, Hashable, Sendable, Codable {
    case spo2
    case pulseRate
    case perfusionIndex
    case ecgHeartRate
    case nibpSystolic
    case nibpDiastolic
    case nibpMean
    case respiratoryRate

    /// The ISO/IEEE 11073-10101 code (partition × 65536 + term code).
    public var mdcCode: UInt32 {
        switch self {
        case .spo2: 150_456  // MDC_PULS_OXIM_SAT_O2
        case .pulseRate: 149_530  // MDC_PULS_OXIM_PULS_RATE
        case .perfusionIndex: 150_448  // MDC_PULS_OXIM_PERF_REL
        case .ecgHeartRate: 147_842  // MDC_ECG_HEART_RATE
        case .nibpSystolic: 150_021  // MDC_PRESS_BLD_NONINV_SYS
        case .nibpDiastolic: 150_022  // MDC_PRESS_BLD_NONINV_DIA
        case .nibpMean: 150_023  // MDC_PRESS_BLD_NONINV_MEAN
        case .respiratoryRate: 151_562  // MDC_RESP_RATE
        }
    }

    /// The ISO/IEEE 11073-10101 reference identifier, as HL7 and FHIR exports print it.
    public var mdcName: String {
        switch self {
        case .spo2: "MDC_PULS_OXIM_SAT_O2"
        case .pulseRate: "MDC_PULS_OXIM_PULS_RATE"
        case .perfusionIndex: "MDC_PULS_OXIM_PERF_REL"
        case .ecgHeartRate: "MDC_ECG_HEART_RATE"
        case .nibpSystolic: "MDC_PRESS_BLD_NONINV_SYS"
        case .nibpDiastolic: "MDC_PRESS_BLD_NONINV_DIA"
        case .nibpMean: "MDC_PRESS_BLD_NONINV_MEAN"
        case .respiratoryRate: "MDC_RESP_RATE"
        }
    }

    /// The unit the value is expressed in.
    public var unit: VitalUnit {
        switch self {
        case .spo2: .percent
        case .pulseRate, .ecgHeartRate: .beatsPerMinute
        case .perfusionIndex: .percent
        case .nibpSystolic, .nibpDiastolic, .nibpMean: .millimetresOfMercury
        case .respiratoryRate: .breathsPerMinute
        }
    }

    /// Whether this parameter comes from an intermittent (cuff) measurement rather than a continuous one.
    public var isIntermittent: Bool {
        switch self {
        case .nibpSystolic, .nibpDiastolic, .nibpMean: true
        default: false
        }
    }
}

/// Units of vital signs, with their IEEE 11073 dimension codes and UCUM spellings.
public enum VitalUnit: String, Hashable, Sendable, Codable {
    case percent
    case beatsPerMinute
    case breathsPerMinute
    case millimetresOfMercury

    /// The ISO/IEEE 11073-10101 dimension code.
    public var mdcCode: UInt32 {
        switch self {
        case .percent: 262_688  // MDC_DIM_PERCENT
        case .beatsPerMinute: 264_864  // MDC_DIM_BEAT_PER_MIN
        case .breathsPerMinute: 264_928  // MDC_DIM_RESP_PER_MIN
        case .millimetresOfMercury: 266_016  // MDC_DIM_MMHG
        }
    }

    /// The UCUM spelling, as HL7 v2 and FHIR want it.
    public var ucum: String {
        switch self {
        case .percent: "%"
        case .beatsPerMinute: "/min"
        case .breathsPerMinute: "/min"
        case .millimetresOfMercury: "mm[Hg]"
        }
    }
}

/// Why a reading may not be trusted. A reading with any of these is still reported, so that a
/// person sees it, but the alarm system treats it as missing.
public struct VitalSignFlags: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The device marks the value invalid or absent.
    public static let invalid = VitalSignFlags(rawValue: 1 << 0)
    /// Motion or other artefact detected.
    public static let artefact = VitalSignFlags(rawValue: 1 << 1)
    /// Low perfusion: the value may be unreliable.
    public static let lowPerfusion = VitalSignFlags(rawValue: 1 << 2)
    /// The sensor is off the patient or disconnected.
    public static let sensorOff = VitalSignFlags(rawValue: 1 << 3)
    /// The device says it is still searching or measuring.
    public static let searching = VitalSignFlags(rawValue: 1 << 4)
    /// Low signal quality or low signal identification confidence.
    public static let lowSignalQuality = VitalSignFlags(rawValue: 1 << 5)
    /// The value is outside the device's measurable range or was clamped.
    public static let outOfRange = VitalSignFlags(rawValue: 1 << 6)

    /// Flags that make a value unusable for decisions.
    public static let untrustworthy: VitalSignFlags = [.invalid, .artefact, .sensorOff, .searching, .outOfRange]

    /// Every flag with the name it has on the wire and in records.
    public static let named: [(flag: VitalSignFlags, name: String)] = [
        (.invalid, "invalid"), (.artefact, "artefact"), (.lowPerfusion, "lowPerfusion"), (.sensorOff, "sensorOff"),
        (.searching, "searching"), (.lowSignalQuality, "lowSignalQuality"), (.outOfRange, "outOfRange"),
    ]

    /// Encoded as a list of names (`["artefact"]`), so a person reading an event or record needs no bit table.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.named.filter { contains($0.flag) }.map(\.name))
    }

    /// Decodes a list of names, or the raw bit value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let raw = try? container.decode(UInt16.self) {
            self.init(rawValue: raw)
            return
        }
        var flags: VitalSignFlags = []
        for name in try container.decode([String].self) {
            guard let entry = Self.named.first(where: { $0.name == name }) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown vital-sign flag '\(name)'")
            }
            flags.insert(entry.flag)
        }
        self = flags
    }
}

/// One reading of one vital sign, as every monitor driver reports it.
public struct VitalSign: Hashable, Sendable, Codable {
    /// What was measured.
    public var parameter: VitalParameter
    /// The value in `parameter.unit`; nil when the device sent no number.
    public var value: Double?
    /// When the reading was measured, on the daemon's monotonic clock: the receive time, or earlier when the
    /// monitor dates the reading itself (an IntelliVue cuff pressure carries its measurement time).
    public var time: MonotonicInstant
    /// Validity and artefact flags.
    public var flags: VitalSignFlags

    public init(parameter: VitalParameter, value: Double?, time: MonotonicInstant, flags: VitalSignFlags = []) {
        self.parameter = parameter
        self.value = value
        self.time = time
        self.flags = flags
    }

    /// The value when it can be used for decisions: present and not flagged untrustworthy.
    public var trustworthyValue: Double? {
        flags.isDisjoint(with: .untrustworthy) ? value : nil
    }
}
