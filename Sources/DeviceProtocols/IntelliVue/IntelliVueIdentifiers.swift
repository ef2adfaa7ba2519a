/// Numeric identifiers of the Philips Data Export nomenclature used by the numerics subset.
///
/// Values: docs/DEVICE-BASIS.md section 6, "Identifiers" (VSCaptureMP enums) and
/// "Data messages".
public enum IntelliVueNomenclature {
    /// Object classes.
    public static let mdsClass: UInt16 = 0x0021
    public static let numericClass: UInt16 = 0x0006
    public static let alertMonitorClass: UInt16 = 0x0036
    /// NOM_PART_OBJ, the partition of object classes in a polled object type.
    public static let objectPartition: UInt16 = 0x0001

    /// Actions and events.
    public static let singlePollAction: UInt16 = 0x0C16
    public static let extendedPollAction: UInt16 = 0xF13B
    public static let mdsCreateEvent: UInt16 = 0x0D06

    /// Attributes.
    public static let pollPeriodAttribute: UInt16 = 0xF13E
    public static let numericObservationAttribute: UInt16 = 0x0950
    public static let compoundNumericObservationAttribute: UInt16 = 0x094B
    public static let absoluteTimeAttribute: UInt16 = 0x0987
    public static let relativeTimeAttribute: UInt16 = 0x098F
    /// A numeric's own measurement time: NOM_ATTR_TIME_STAMP_ABS and NOM_ATTR_TIME_STAMP_REL
    /// (reference table; 0x0991 as defined alike by several independent Data Export clients).
    public static let absoluteTimeStampAttribute: UInt16 = 0x0990
    public static let relativeTimeStampAttribute: UInt16 = 0x0991
    /// Attribute groups.
    public static let allAttributes: UInt16 = 0x0000
    public static let staticAttributeGroup: UInt16 = 0x0811

    /// Physiological identifiers.
    public static let ecgHeartRate: UInt16 = 0x4182
    public static let plethPulseRate: UInt16 = 0x4822
    public static let nibpCompound: UInt16 = 0x4A04
    public static let nibpSystolic: UInt16 = 0x4A05
    public static let nibpDiastolic: UInt16 = 0x4A06
    public static let nibpMean: UInt16 = 0x4A07
    public static let spo2: UInt16 = 0x4BB8
    public static let perfusionIndex: UInt16 = 0x4BB0
    public static let respiratoryRate: UInt16 = 0x500A

    /// Units.
    public static let dimensionless: UInt16 = 0x0200
    public static let percent: UInt16 = 0x0220
    public static let beatsPerMinute: UInt16 = 0x0AA0
    public static let pulsesPerMinute: UInt16 = 0x0AC0
    public static let breathsPerMinute: UInt16 = 0x0AE0
    public static let millimetresOfMercury: UInt16 = 0x0F20
}

/// ROSE command types carried in invoke and result headers.
public enum IntelliVueCommand: UInt16, Hashable, Sendable {
    case eventReport = 0
    case confirmedEventReport = 1
    case get = 3
    case set = 4
    case confirmedSet = 5
    case confirmedAction = 7
}
