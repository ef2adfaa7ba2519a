/// The `ALARM=` field of a Masimo ASCII 1 line: the monitor's own alarm state, a hexadecimal bitmask.
///
/// Bit meanings: docs/DEVICE-BASIS.md section 4, "ALARM bits" (OpenICE adapter).
public struct MasimoAlarms: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let spo2High = MasimoAlarms(rawValue: 0x0001)
    public static let spo2Low = MasimoAlarms(rawValue: 0x0002)
    public static let pulseRateHigh = MasimoAlarms(rawValue: 0x0004)
    public static let pulseRateLow = MasimoAlarms(rawValue: 0x0008)
    public static let alarmActive = MasimoAlarms(rawValue: 0x0010)
    public static let alarmSilenced = MasimoAlarms(rawValue: 0x0020)
    public static let lowBattery = MasimoAlarms(rawValue: 0x0040)
    public static let spcoHigh = MasimoAlarms(rawValue: 0x0100)
    public static let spcoLow = MasimoAlarms(rawValue: 0x0200)
    public static let spmetHigh = MasimoAlarms(rawValue: 0x0400)
    public static let spmetLow = MasimoAlarms(rawValue: 0x0800)
    public static let desaturationIndex = MasimoAlarms(rawValue: 0x1000)
    public static let perfusionIndexDelta = MasimoAlarms(rawValue: 0x2000)
}

/// The `EXC=` field of a Masimo ASCII 1 line: measurement exceptions, a hexadecimal bitmask.
///
/// Bit meanings: docs/DEVICE-BASIS.md section 4, "EXC bits" (OpenICE adapter; the
/// low 12 bits also in the Rad-8 manual's trend format). A normal reading carries only `.setMode`.
public struct MasimoExceptions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let noSensor = MasimoExceptions(rawValue: 0x00_0001)
    public static let defectiveSensor = MasimoExceptions(rawValue: 0x00_0002)
    public static let lowPerfusion = MasimoExceptions(rawValue: 0x00_0004)
    public static let pulseSearch = MasimoExceptions(rawValue: 0x00_0008)
    public static let interference = MasimoExceptions(rawValue: 0x00_0010)
    public static let sensorOffPatient = MasimoExceptions(rawValue: 0x00_0020)
    public static let ambientLight = MasimoExceptions(rawValue: 0x00_0040)
    public static let unrecognisedSensor = MasimoExceptions(rawValue: 0x00_0080)
    public static let incompatibleSensor = MasimoExceptions(rawValue: 0x00_0100)
    public static let lowSignalIQ = MasimoExceptions(rawValue: 0x00_0400)
    /// The algorithm runs in full "Masimo SET" mode: the normal state, not a problem.
    public static let setMode = MasimoExceptions(rawValue: 0x00_0800)
    public static let noCable = MasimoExceptions(rawValue: 0x00_1000)
    public static let cableLifeExpired = MasimoExceptions(rawValue: 0x00_2000)
    public static let incompatibleCable = MasimoExceptions(rawValue: 0x00_4000)
    public static let unrecognisedCable = MasimoExceptions(rawValue: 0x00_8000)
    public static let defectiveCable = MasimoExceptions(rawValue: 0x01_0000)
    public static let sensorCalibrating = MasimoExceptions(rawValue: 0x02_0000)
    public static let sensorLifeExpired = MasimoExceptions(rawValue: 0x04_0000)
    public static let emitterTemperature = MasimoExceptions(rawValue: 0x08_0000)
    public static let sensorCurrentLimit = MasimoExceptions(rawValue: 0x10_0000)
    public static let spcoLowConfidence = MasimoExceptions(rawValue: 0x20_0000)
    public static let spmetLowConfidence = MasimoExceptions(rawValue: 0x40_0000)

    /// Exceptions under which SpO2 and pulse rate must be treated as invalid even when digits are
    /// present (docs/DEVICE-BASIS.md section 4, marked [I]: an inference to confirm on hardware).
    public static let invalidatingReadings: MasimoExceptions = [
        .noSensor, .defectiveSensor, .pulseSearch, .sensorOffPatient, .unrecognisedSensor, .incompatibleSensor,
    ]

    /// The sensor or its cable is absent or off the patient.
    public static let sensorAbsent: MasimoExceptions = [.noSensor, .sensorOffPatient, .noCable]

    /// The sensor or cable is present but unusable.
    public static let sensorFaults: MasimoExceptions = [
        .defectiveSensor, .unrecognisedSensor, .incompatibleSensor, .cableLifeExpired, .incompatibleCable,
        .unrecognisedCable, .defectiveCable, .sensorLifeExpired, .emitterTemperature, .sensorCurrentLimit,
    ]
}
