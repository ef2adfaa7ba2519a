/// The date and time a Masimo monitor prints at the start of each line (`MM/DD/YY HH:MM:SS`).
///
/// Informational only: the host stamps readings with its own monotonic clock.
public struct MasimoTimestamp: Hashable, Sendable {
    public var month: Int
    public var day: Int
    /// Two-digit year, 0–99.
    public var year: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(month: Int, day: Int, year: Int, hour: Int, minute: Int, second: Int) {
        self.month = month
        self.day = day
        self.year = year
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

/// One line of Masimo ASCII 1 serial output, field by field. A field the device did not send, or
/// sent as dashes (no measurement), is nil.
public struct MasimoRecord: Hashable, Sendable {
    public var timestamp: MasimoTimestamp?
    /// `SN=`: the device serial number (Rad-8 and Radical-7).
    public var serialNumber: String?
    /// `SPO2=`: functional oxygen saturation, %.
    public var spo2: Double?
    /// `BPM=`: pulse rate, /min.
    public var pulseRate: Double?
    /// `PI=`: perfusion index, %.
    public var perfusionIndex: Double?
    /// `SPCO=`: carboxyhaemoglobin, %.
    public var spco: Double?
    /// `SPMET=`: methaemoglobin, %.
    public var spmet: Double?
    /// `DESAT=`: desaturation index.
    public var desaturationIndex: Double?
    /// `PIDELTA=`: change of perfusion index, signed.
    public var perfusionIndexDelta: Double?
    /// `PVI=`: pleth variability index (Radical-7).
    public var plethVariabilityIndex: Double?
    /// `ALARM=`: the monitor's own alarm state.
    public var alarms: MasimoAlarms
    /// `EXC=`: measurement exceptions.
    public var exceptions: MasimoExceptions

    public init(
        timestamp: MasimoTimestamp? = nil,
        serialNumber: String? = nil,
        spo2: Double? = nil,
        pulseRate: Double? = nil,
        perfusionIndex: Double? = nil,
        spco: Double? = nil,
        spmet: Double? = nil,
        desaturationIndex: Double? = nil,
        perfusionIndexDelta: Double? = nil,
        plethVariabilityIndex: Double? = nil,
        alarms: MasimoAlarms = [],
        exceptions: MasimoExceptions = .setMode
    ) {
        self.timestamp = timestamp
        self.serialNumber = serialNumber
        self.spo2 = spo2
        self.pulseRate = pulseRate
        self.perfusionIndex = perfusionIndex
        self.spco = spco
        self.spmet = spmet
        self.desaturationIndex = desaturationIndex
        self.perfusionIndexDelta = perfusionIndexDelta
        self.plethVariabilityIndex = plethVariabilityIndex
        self.alarms = alarms
        self.exceptions = exceptions
    }
}
