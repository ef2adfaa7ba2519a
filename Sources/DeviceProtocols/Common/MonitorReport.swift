public import InfusionCore

/// Conditions a patient monitor reports about its own measurement, independent of its wire protocol.
///
/// Each family's decoder maps its status bits to these, so a monitor driver can watch every family
/// the same way. The vital signs of the same report carry the matching per-reading flags.
public struct MonitorConditions: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// No sensor, sensor off the patient, or sensor/cable disconnected.
    public static let sensorOff = MonitorConditions(rawValue: 1 << 0)
    /// The sensor or cable is defective, unrecognised, incompatible or expired.
    public static let sensorFault = MonitorConditions(rawValue: 1 << 1)
    /// The monitor reports low perfusion at the measuring site.
    public static let lowPerfusion = MonitorConditions(rawValue: 1 << 2)
    /// Motion or other artefact, interference or ambient light.
    public static let artefact = MonitorConditions(rawValue: 1 << 3)
    /// The monitor is searching for a pulse or has lost track of it.
    public static let searching = MonitorConditions(rawValue: 1 << 4)
    /// Low signal quality or confidence.
    public static let lowSignalQuality = MonitorConditions(rawValue: 1 << 5)
    /// The monitor's battery is low.
    public static let lowBattery = MonitorConditions(rawValue: 1 << 6)
    /// The monitor has an alarm of its own active.
    public static let deviceAlarmActive = MonitorConditions(rawValue: 1 << 7)
    /// The monitor's own alarm audio is silenced.
    public static let deviceAlarmSilenced = MonitorConditions(rawValue: 1 << 8)
}

/// What one message from a patient monitor said, in domain terms: the readings it carried and the
/// conditions it reported, stamped with the host's receive time. The device's wall clock is never
/// trusted; a reading is dated at receipt unless the protocol says how old it is on the device's own
/// clock (IntelliVue measurement time stamps), in which case it is dated that much before receipt.
public struct MonitorReport: Hashable, Sendable {
    /// Every reading in the message, including invalid ones (value nil or flagged), so that the core
    /// can tell "the monitor says no reading" from "the monitor said nothing". A measurement the
    /// monitor merely repeats (same time stamp) is left out.
    public var vitals: [VitalSign]
    /// Conditions the monitor reported in the same message.
    public var conditions: MonitorConditions
    /// When the message was received.
    public var time: MonotonicInstant

    public init(vitals: [VitalSign], conditions: MonitorConditions, time: MonotonicInstant) {
        self.vitals = vitals
        self.conditions = conditions
        self.time = time
    }

    /// The reading of `parameter`, if the message carried one.
    public func vital(_ parameter: VitalParameter) -> VitalSign? {
        vitals.first { $0.parameter == parameter }
    }
}
