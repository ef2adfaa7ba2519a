internal import InfusionCore
internal import WireProtocol

/// The wire names of medications and intake screening (issue 18 items 5 and 6), beside `WireNames`.
extension WireNames {
    static func wire(_ unit: MedicationDoseUnit) -> WireMedicationDoseUnit {
        switch unit {
        case .mg: .mg
        case .mcg: .mcg
        }
    }

    static func wire(_ route: MedicationRoute) -> WireMedicationRoute {
        switch route {
        case .iv: .iv
        case .im: .im
        case .po: .po
        case .sl: .sl
        }
    }

    static func wire(_ method: ScreeningMethod) -> WireScreeningMethod {
        switch method {
        case .signedChecklist: .signedChecklist
        case .structured: .structured
        }
    }

    static func wire(_ contraindication: Contraindication) -> WireContraindication {
        switch contraindication {
        case .uncontrolledHypertension: .uncontrolledHypertension
        case .unstableHeartDisease: .unstableHeartDisease
        case .raisedIntracranialPressure: .raisedIntracranialPressure
        case .raisedIntraocularPressure: .raisedIntraocularPressure
        case .interstitialCystitis: .interstitialCystitis
        case .activeSubstanceMisuse: .activeSubstanceMisuse
        case .currentMania: .currentMania
        case .activePsychosis: .activePsychosis
        }
    }
}
