/// The data of the events the device layer publishes (docs/PROTOCOL.md "Chair events"): readings as the
/// monitor sent them, and pump commands and read-backs. Mapped from the daemon's records in one place
/// (`DeviceRecords+Wire.swift`).

/// A vital-sign parameter, as in `vital` events and status's `vitals`.
public enum WireVitalParameter: String, Codable, Sendable, Hashable, CaseIterable {
    case spo2, pulseRate, perfusionIndex, ecgHeartRate, nibpSystolic, nibpDiastolic, nibpMean, respiratoryRate
}

/// Why a reading may not be trusted.
public enum WireVitalFlag: String, Codable, Sendable, Hashable, CaseIterable {
    case invalid, artefact, lowPerfusion, sensorOff, searching, lowSignalQuality, outOfRange
}

/// `vital`: one reading.
public struct VitalData: Codable, Sendable, Hashable {
    public var parameter: WireVitalParameter
    /// Absent when the monitor sent no number.
    public var value: Double?
    public var flags: [WireVitalFlag]
    /// When it was measured (receipt, unless the monitor dates it).
    public var time: WireTimestamp
    public init(parameter: WireVitalParameter, value: Double?, flags: [WireVitalFlag], time: WireTimestamp) {
        (self.parameter, self.value, self.flags, self.time) = (parameter, value, flags, time)
    }
}

/// A command the daemon sends a pump.
public enum WirePumpCommand: String, Codable, Sendable, Hashable, CaseIterable {
    case setRate = "set-rate"
    case setSyringe = "set-syringe"
    case setTarget = "set-target"
    case start, pause, stop
    case clearVolume = "clear-volume"
}

/// `pump.command`: what was sent, with its number where it has one.
public struct PumpCommandData: Codable, Sendable, Hashable {
    public var command: WirePumpCommand
    public var rateMillilitresPerHour: Double?
    public var syringeDiameterMillimetres: Double?
    public var targetInfusedMillilitres: Double?
    public init(
        command: WirePumpCommand, rateMillilitresPerHour: Double? = nil, syringeDiameterMillimetres: Double? = nil,
        targetInfusedMillilitres: Double? = nil
    ) {
        (self.command, self.rateMillilitresPerHour, self.syringeDiameterMillimetres, self.targetInfusedMillilitres) =
            (command, rateMillilitresPerHour, syringeDiameterMillimetres, targetInfusedMillilitres)
    }
}

/// `pump.command-failed`: a command the driver could not confirm.
public struct PumpCommandFailedData: Codable, Sendable, Hashable {
    public enum Reason: String, Codable, Sendable, Hashable, CaseIterable {
        case notConfirmed = "not-confirmed"
        case notCarriedOut = "not-carried-out"
        case readBackMismatch = "read-back-mismatch"
        case linkDown = "link-down"
    }

    public var command: PumpCommandData
    public var reason: Reason
    /// For people; not a stable name.
    public var message: String
    public init(command: PumpCommandData, reason: Reason, message: String) {
        (self.command, self.reason, self.message) = (command, reason, message)
    }
}

/// An alarm a pump reports.
public enum WirePumpAlarm: String, Codable, Sendable, Hashable, CaseIterable {
    case occlusion, syringeEmpty, nearEmpty, stall, powerInterrupted, communicationTimeout, commandError, targetReached
}

/// `pump.readback`: what the pump reported.
public struct PumpReadbackData: Codable, Sendable, Hashable {
    public var state: WirePumpRunState
    public var rateMillilitresPerHour: Double?
    public var infusedMillilitres: Double?
    /// In name order.
    public var alarms: [WirePumpAlarm]
    public var time: WireTimestamp
    public var syringeDiameterMillimetres: Double?
    /// `[minimum, maximum]` mL/h the pump can run with its syringe, where it reports it.
    public var rateRangeMillilitresPerHour: [Double]?
    public init(
        state: WirePumpRunState, rateMillilitresPerHour: Double?, infusedMillilitres: Double?, alarms: [WirePumpAlarm],
        time: WireTimestamp, syringeDiameterMillimetres: Double?, rateRangeMillilitresPerHour: [Double]?
    ) {
        (self.state, self.rateMillilitresPerHour, self.infusedMillilitres, self.alarms, self.time) =
            (state, rateMillilitresPerHour, infusedMillilitres, alarms, time)
        (self.syringeDiameterMillimetres, self.rateRangeMillilitresPerHour) = (syringeDiameterMillimetres, rateRangeMillilitresPerHour)
    }
}
