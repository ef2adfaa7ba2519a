public import InfusionCore

/// A unit as the exports print it: its ISO/IEEE 11073 dimension term and its UCUM spelling.
public struct MDCUnit: Hashable, Sendable {
    public var term: MDCCode
    public var ucum: String

    public init(_ term: MDCCode, ucum: String) {
        self.term = term
        self.ucum = ucum
    }
}

/// The ISO/IEEE 11073-10101 terms the exports use. Every code is from docs/CLINICAL-BASIS.md
/// §4.1 (IHE PCD Technical Framework, RTMMS); none is guessed.
package enum Nomenclature {
    // Devices (partition 1).
    package static let monitorMDS = MDCCode(69_965, "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS")
    package static let nibpVMD = MDCCode(70_686, "MDC_DEV_PRESS_BLD_NONINV_VMD")
    package static let nibpChannel = MDCCode(70_687, "MDC_DEV_PRESS_BLD_NONINV_CHAN")
    package static let oximetryVMD = MDCCode(69_642, "MDC_DEV_ANALY_SAT_O2_VMD")
    package static let ecgVMD = MDCCode(4_262, "MDC_DEV_ECG_VMD")
    package static let ecgChannel = MDCCode(4_263, "MDC_DEV_ECG_CHAN")
    package static let pumpMDS = MDCCode(69_985, "MDC_DEV_PUMP_INFUS_MDS")
    package static let pumpVMD = MDCCode(69_986, "MDC_DEV_PUMP_INFUS_VMD")

    // Pump metrics (partition 2).
    package static let flowRate = MDCCode(157_784, "MDC_FLOW_FLUID_PUMP")
    package static let doseRate = MDCCode(157_924, "MDC_RATE_DOSE")
    package static let drugConcentration = MDCCode(157_760, "MDC_CONC_DRUG")
    package static let volumeToBeInfused = MDCCode(157_884, "MDC_VOL_FLUID_TBI")
    package static let volumeDelivered = MDCCode(157_993, "MDC_VOL_FLUID_DELIV_TOTAL")
    package static let infusingStatus = MDCCode(184_519, "MDC_PUMP_INFUSING_STATUS")

    // Events and alert facets (partition 3 and attributes).
    package static let alarmEvent = MDCCode(196_616, "MDC_EVT_ALARM")
    package static let alertSource = MDCCode(68_480, "MDC_ATTR_ALERT_SOURCE")
    package static let eventPhase = MDCCode(68_481, "MDC_ATTR_EVENT_PHASE")
    package static let alarmState = MDCCode(68_482, "MDC_ATTR_ALARM_STATE")
    package static let inactivationState = MDCCode(68_483, "MDC_ATTR_ALARM_INACTIVATION_STATE")
    package static let alarmPriority = MDCCode(68_484, "MDC_ATTR_ALARM_PRIORITY")
    package static let alertType = MDCCode(68_485, "MDC_ATTR_ALERT_TYPE")

    // Units (partition 4).
    package static let millilitresPerHour = MDCUnit(MDCCode(265_266, "MDC_DIM_MILLI_L_PER_HR"), ucum: "mL/h")
    package static let milligramsPerKilogramPerHour = MDCUnit(
        MDCCode(265_650, "MDC_DIM_MILLI_G_PER_KG_PER_HR"), ucum: "mg/kg/h")
    package static let milligramsPerHour = MDCUnit(MDCCode(265_522, "MDC_DIM_MILLI_G_PER_HR"), ucum: "mg/h")
    package static let milligramsPerMillilitre = MDCUnit(MDCCode(264_306, "MDC_DIM_MILLI_G_PER_ML"), ucum: "mg/mL")
    package static let millilitres = MDCUnit(MDCCode(263_762, "MDC_DIM_MILLI_L"), ucum: "mL")

    /// The unit of a dose rate.
    package static func unit(of rate: DoseRateUnit) -> MDCUnit {
        switch rate {
        case .milligramsPerKilogramPerHour: milligramsPerKilogramPerHour
        case .milligramsPerHour: milligramsPerHour
        case .millilitresPerHour: millilitresPerHour
        }
    }
}

extension VitalParameter {
    /// The parameter's 11073 metric term.
    public var mdcTerm: MDCCode { MDCCode(mdcCode, mdcName) }

    /// The parameter's unit, 11073 and UCUM.
    public var mdcUnit: MDCUnit {
        let name =
            switch unit {
            case .percent: "MDC_DIM_PERCENT"
            case .beatsPerMinute: "MDC_DIM_BEAT_PER_MIN"
            case .breathsPerMinute: "MDC_DIM_RESP_PER_MIN"
            case .millimetresOfMercury: "MDC_DIM_MMHG"
            }
        return MDCUnit(MDCCode(unit.mdcCode, name), ucum: unit.ucum)
    }
}
