internal import InfusionCore
internal import WireProtocol

/// The one place the device layer's records become protocol event data (`vital`, `pump.readback`,
/// `pump.command`, `pump.command-failed`), each name chosen from the wire's own enums.
enum DeviceWire {
    static func vital(_ vital: VitalSign, clock: WallClockAnchor) -> VitalData {
        VitalData(
            parameter: parameter(vital.parameter), value: vital.value,
            flags: VitalSignFlags.named.filter { vital.flags.contains($0.flag) }.compactMap { WireVitalFlag(rawValue: $0.name) },
            time: clock.timestamp(vital.time))
    }

    static func readback(_ observation: PumpObservation, clock: WallClockAnchor) -> PumpReadbackData {
        PumpReadbackData(
            state: WireNames.wire(observation.state), rateMillilitresPerHour: observation.rateMillilitresPerHour,
            infusedMillilitres: observation.infusedMillilitres, alarms: observation.alarms.map(alarm).sorted { $0.rawValue < $1.rawValue },
            time: clock.timestamp(observation.time), syringeDiameterMillimetres: observation.syringeDiameterMillimetres,
            rateRangeMillilitresPerHour: observation.rateRangeMillilitresPerHour.map { [$0.lowerBound, $0.upperBound] })
    }

    static func command(_ command: PumpCommand) -> PumpCommandData {
        switch command {
        case .setRate(let rate): PumpCommandData(command: .setRate, rateMillilitresPerHour: rate.value)
        case .setSyringe(let diameter): PumpCommandData(command: .setSyringe, syringeDiameterMillimetres: diameter)
        case .setTarget(let target): PumpCommandData(command: .setTarget, targetInfusedMillilitres: target)
        case .start: PumpCommandData(command: .start)
        case .pause: PumpCommandData(command: .pause)
        case .stop: PumpCommandData(command: .stop)
        case .clearVolume: PumpCommandData(command: .clearVolume)
        }
    }

    static func failure(_ failure: PumpCommandFailure) -> PumpCommandFailedData {
        let reason: PumpCommandFailedData.Reason = switch failure.reason {
        case .notConfirmed: .notConfirmed
        case .notCarriedOut: .notCarriedOut
        case .readBackMismatch: .readBackMismatch
        case .linkDown: .linkDown
        }
        return PumpCommandFailedData(command: command(failure.command), reason: reason, message: failure.message)
    }

    static func parameter(_ parameter: VitalParameter) -> WireVitalParameter {
        switch parameter {
        case .spo2: .spo2
        case .pulseRate: .pulseRate
        case .perfusionIndex: .perfusionIndex
        case .ecgHeartRate: .ecgHeartRate
        case .nibpSystolic: .nibpSystolic
        case .nibpDiastolic: .nibpDiastolic
        case .nibpMean: .nibpMean
        case .respiratoryRate: .respiratoryRate
        }
    }

    static func alarm(_ alarm: PumpAlarm) -> WirePumpAlarm {
        switch alarm {
        case .occlusion: .occlusion
        case .syringeEmpty: .syringeEmpty
        case .nearEmpty: .nearEmpty
        case .stall: .stall
        case .powerInterrupted: .powerInterrupted
        case .communicationTimeout: .communicationTimeout
        case .commandError: .commandError
        case .targetReached: .targetReached
        }
    }
}
