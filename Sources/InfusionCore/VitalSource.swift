/// The instrument a vital sign comes from, derived from its parameter, so a person can tell an ECG
/// heart rate from a pleth pulse rate wherever either is shown (docs/CLINICAL-BASIS.md §4.1 places
/// each parameter under its device).
public enum VitalSource: String, CaseIterable, Hashable, Sendable, Codable {
    /// The electrocardiogram: heart rate counted from the ECG.
    case ecg
    /// The pulse oximeter's plethysmogram: SpO2, pulse rate, perfusion index.
    case pleth
    /// The non-invasive blood-pressure cuff: one measurement per cycle.
    case cuff
    /// The monitor's respiration measurement (MDC_RESP_RATE names no technique).
    case respiration
}

extension VitalParameter {
    /// The instrument this parameter is measured by.
    public var source: VitalSource {
        switch self {
        case .ecgHeartRate: .ecg
        case .spo2, .pulseRate, .perfusionIndex: .pleth
        case .nibpSystolic, .nibpDiastolic, .nibpMean: .cuff
        case .respiratoryRate: .respiration
        }
    }
}
