internal import InfusionCore
internal import WireProtocol

/// Each closed set of the core's names to the wire's, case by case, so the compiler checks both sides and a
/// core rename never changes the protocol unnoticed (WireMappingTests checks the spellings match the docs).
enum WireNames {
    static func wire(_ state: SessionState) -> WireSessionState {
        switch state {
        case .idle: .idle
        case .intake: .intake
        case .programmed: .programmed
        case .infusing: .infusing
        case .paused: .paused
        case .complete: .complete
        case .recovery: .recovery
        case .dischargeReady: .dischargeReady
        case .discharged: .discharged
        }
    }

    static func wire(_ priority: AlarmPriority) -> WireAlarmPriority {
        switch priority {
        case .low: .low
        case .medium: .medium
        case .high: .high
        }
    }

    static func wire(_ category: AlarmCategory) -> WireAlarmCategory {
        switch category {
        case .physiological: .physiological
        case .technical: .technical
        }
    }

    static func wire(_ condition: AlarmCondition) -> WireAlarmCondition {
        switch condition {
        case .spo2Low: .spo2Low
        case .systolicHigh: .systolicHigh
        case .systolicLow: .systolicLow
        case .diastolicHigh: .diastolicHigh
        case .diastolicLow: .diastolicLow
        case .heartRateHigh: .heartRateHigh
        case .heartRateLow: .heartRateLow
        case .noPulse: .noPulse
        case .pumpLinkLost: .pumpLinkLost
        case .monitorLinkLost: .monitorLinkLost
        case .staleVitals: .staleVitals
        case .heartRateSourcesDisagree: .heartRateSourcesDisagree
        case .bloodPressureOverdue: .bloodPressureOverdue
        case .observationDue: .observationDue
        case .pumpOcclusion: .pumpOcclusion
        case .pumpSyringeEmpty: .pumpSyringeEmpty
        case .pumpNearEmpty: .pumpNearEmpty
        case .pumpStall: .pumpStall
        case .pumpFault: .pumpFault
        case .pumpSyringeMismatch: .pumpSyringeMismatch
        case .readBackMismatch: .readBackMismatch
        case .commandUnconfirmed: .commandUnconfirmed
        case .volumeDivergence: .volumeDivergence
        case .sessionDoseSoftLimit: .sessionDoseSoftLimit
        case .restartRecovery: .restartRecovery
        case .recordKeepingFailure: .recordKeepingFailure
        }
    }

    static func wire(_ unit: WeightUnit) -> WireWeightUnit {
        switch unit {
        case .kg: .kg
        case .lb: .lb
        }
    }

    static func wire(_ unit: DoseRateUnit) -> WireDoseRateUnit {
        switch unit {
        case .milligramsPerKilogramPerHour: .milligramsPerKilogramPerHour
        case .milligramsPerHour: .milligramsPerHour
        case .millilitresPerHour: .millilitresPerHour
        }
    }

    static func wire(_ reason: DeliveryUncertainty.Reason) -> WireDeliveryUncertainty {
        switch reason {
        case .pumpLinkDown: .pumpLinkDown
        case .pumpRunningWhenHalted: .pumpNotStopped
        case .commandNotConfirmed: .commandNotConfirmed
        case .commandNotCarriedOut: .commandNotCarriedOut
        case .readBackMismatch: .readBackMismatch
        }
    }

    static func wire(_ kind: MissingDischargeCriterion.Kind) -> WireMissingCriterion.Kind {
        switch kind {
        case .pumpStopped: .pumpStopped
        case .observationTime: .observationTime
        case .bloodPressure: .bloodPressure
        case .score: .score
        case .alarms: .alarms
        }
    }

    static func wire(_ transition: AlarmTransition) -> AlarmTransitionData.Transition {
        switch transition {
        case .raised: .raised
        case .escalated: .escalated
        case .deescalated: .deescalated
        case .latched: .latched
        case .acknowledged: .acknowledged
        case .cleared: .cleared
        }
    }

    static func wire(_ kind: LimitKind) -> LimitData.Kind {
        switch kind {
        case .doseRate: .doseRate
        case .absoluteDoseRate: .absoluteDoseRate
        case .flowRate: .flowRate
        case .sessionDose: .sessionDose
        case .absoluteSessionDose: .absoluteSessionDose
        case .bolus: .bolus
        case .weight: .weight
        case .predictedConcentration: .predictedConcentration
        case .concentration: .concentration
        case .titrationStep: .titrationStep
        case .titrationInterval: .titrationInterval
        case .sessionInterval: .sessionInterval
        case .sessionsInWindow: .sessionsInWindow
        case .weightChange: .weightChange
        }
    }

    static func wire(_ outcome: LimitOutcome) -> LimitData.Outcome {
        switch outcome {
        case .hardRefused: .hardRefused
        case .softRefused: .softRefused
        case .softOverridden: .softOverridden
        }
    }

    static func wire(_ side: LimitSide) -> LimitData.Side {
        switch side {
        case .above: .above
        case .below: .below
        }
    }

    static func wire(_ kind: InterlockEvent.Kind) -> InterlockData.Kind {
        switch kind {
        case .paused: .paused
        case .awaitingConfirmingReading: .awaitingConfirmingReading
        case .awaitingConfirmingReadingEnded: .awaitingConfirmingReadingEnded
        }
    }

    static func wire(_ state: PumpRunState) -> WirePumpRunState {
        switch state {
        case .infusing: .infusing
        case .paused: .paused
        case .stopped: .stopped
        case .alarmed: .alarmed
        case .unknown: .unknown
        }
    }

    static func wire(_ kind: RestartEvent.Kind) -> RestartData.Kind {
        switch kind {
        case .restored: .restored
        case .reconciled: .reconciled
        }
    }

    static func wire(_ kind: BolusEvent.Kind) -> BolusData.Kind {
        switch kind {
        case .started: .started
        case .finished: .finished
        case .cancelled: .cancelled
        }
    }
}
