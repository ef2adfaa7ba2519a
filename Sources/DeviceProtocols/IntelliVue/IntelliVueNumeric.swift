public import InfusionCore

/// The 32-bit FLOAT-Type of Data Export: signed 8-bit exponent, signed 24-bit mantissa, value
/// mantissa × 10^exponent, with reserved mantissas for "no number" (docs/DEVICE-BASIS.md section 6).
public struct IntelliVueFloat: Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    static let notANumber: Int32 = 0x7F_FFFF
    static let notAtThisResolution: Int32 = -0x80_0000
    static let positiveInfinity: Int32 = 0x7F_FFFE
    static let negativeInfinity: Int32 = -0x7F_FFFE

    public var exponent: Int { Int(Int8(bitPattern: UInt8(rawValue >> 24))) }

    public var mantissa: Int32 {
        let low = Int32(rawValue & 0x00FF_FFFF)
        return low & 0x80_0000 != 0 ? low - 0x100_0000 : low
    }

    /// The number, or nil for NaN and "not at this resolution".
    public var value: Double? {
        switch mantissa {
        case Self.notANumber, Self.notAtThisResolution: return nil
        case Self.positiveInfinity: return .infinity
        case Self.negativeInfinity: return -.infinity
        default:
            // Powers of ten are exact up to 10^22, so a single multiply or divide is correctly rounded.
            var scale = 1.0
            for _ in 0..<abs(exponent) { scale *= 10 }
            return exponent >= 0 ? Double(mantissa) * scale : Double(mantissa) / scale
        }
    }

    /// `value` with the fewest decimals (up to three) that represent it; nil or non-finite as NaN.
    public init(_ value: Double?) {
        guard let value, value.isFinite else {
            self.init(mantissa: Self.notANumber, exponent: 0)
            return
        }
        var exponent = 0
        var scaled = value
        while exponent > -3, abs(scaled - scaled.rounded()) > 1e-9 {
            scaled *= 10
            exponent -= 1
        }
        let limit = Double(Self.positiveInfinity - 1)
        self.init(mantissa: Int32(max(-limit, min(limit, scaled.rounded()))), exponent: exponent)
    }

    public init(mantissa: Int32, exponent: Int) {
        let exponentByte = UInt32(UInt8(bitPattern: Int8(clamping: exponent)))
        rawValue = exponentByte << 24 | (UInt32(bitPattern: mantissa) & 0x00FF_FFFF)
    }
}

/// MeasurementState bits of a numeric (docs/DEVICE-BASIS.md section 6).
public struct IntelliVueMeasurementState: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let invalid = IntelliVueMeasurementState(rawValue: 0x8000)
    public static let questionable = IntelliVueMeasurementState(rawValue: 0x4000)
    public static let unavailable = IntelliVueMeasurementState(rawValue: 0x2000)
    public static let calibrationOngoing = IntelliVueMeasurementState(rawValue: 0x1000)
    public static let testData = IntelliVueMeasurementState(rawValue: 0x0800)
    public static let demoData = IntelliVueMeasurementState(rawValue: 0x0400)
    public static let validated = IntelliVueMeasurementState(rawValue: 0x0080)
    public static let earlyIndication = IntelliVueMeasurementState(rawValue: 0x0040)
    public static let measurementOngoing = IntelliVueMeasurementState(rawValue: 0x0020)
    public static let inAlarm = IntelliVueMeasurementState(rawValue: 0x0002)
    public static let alarmsInhibited = IntelliVueMeasurementState(rawValue: 0x0001)

    /// The guide's rule: a value is valid only when no bit of the high byte is set.
    public var isValid: Bool { rawValue & 0xFF00 == 0 }
}

/// One NuObsValue: a numeric observation as the monitor sends it (10 bytes on the wire).
public struct IntelliVueNumeric: Hashable, Sendable {
    public static let byteCount = 10

    public var physiologicalIdentifier: UInt16
    public var state: IntelliVueMeasurementState
    public var unitCode: UInt16
    public var value: IntelliVueFloat

    public init(physiologicalIdentifier: UInt16, state: IntelliVueMeasurementState, unitCode: UInt16, value: IntelliVueFloat) {
        self.physiologicalIdentifier = physiologicalIdentifier
        self.state = state
        self.unitCode = unitCode
        self.value = value
    }

    /// The vital parameter this numeric is, if infusiond watches it.
    public var parameter: VitalParameter? {
        switch physiologicalIdentifier {
        case IntelliVueNomenclature.spo2: .spo2
        case IntelliVueNomenclature.plethPulseRate: .pulseRate
        case IntelliVueNomenclature.perfusionIndex: .perfusionIndex
        case IntelliVueNomenclature.ecgHeartRate: .ecgHeartRate
        case IntelliVueNomenclature.nibpSystolic: .nibpSystolic
        case IntelliVueNomenclature.nibpDiastolic: .nibpDiastolic
        case IntelliVueNomenclature.nibpMean: .nibpMean
        case IntelliVueNomenclature.respiratoryRate: .respiratoryRate
        default: nil
        }
    }

    /// The numeric as a vital sign received at `time`, or nil for parameters infusiond does not watch.
    ///
    /// Flags: any high-byte state bit makes it invalid (the guide's validity rule); questionable adds
    /// low signal quality, measurement ongoing or calibration adds searching; a unit other than the
    /// parameter's own is invalid rather than converted; infinities are out of range.
    public func vitalSign(at time: MonotonicInstant) -> VitalSign? {
        guard let parameter else { return nil }
        var flags: VitalSignFlags = []
        if !state.isValid { flags.insert(.invalid) }
        if state.contains(.questionable) { flags.insert(.lowSignalQuality) }
        if !state.isDisjoint(with: [.measurementOngoing, .calibrationOngoing]) { flags.insert(.searching) }
        if !Self.acceptedUnits(for: parameter).contains(unitCode) { flags.insert(.invalid) }
        var number = value.value
        if let candidate = number, !candidate.isFinite {
            number = nil
            flags.formUnion([.invalid, .outOfRange])
        }
        if number == nil { flags.insert(.invalid) }
        return VitalSign(parameter: parameter, value: number, time: time, flags: flags)
    }

    private static func acceptedUnits(for parameter: VitalParameter) -> [UInt16] {
        switch parameter {
        case .spo2: [IntelliVueNomenclature.percent]
        case .perfusionIndex: [IntelliVueNomenclature.percent, IntelliVueNomenclature.dimensionless]
        case .pulseRate, .ecgHeartRate: [IntelliVueNomenclature.beatsPerMinute, IntelliVueNomenclature.pulsesPerMinute]
        case .nibpSystolic, .nibpDiastolic, .nibpMean: [IntelliVueNomenclature.millimetresOfMercury]
        case .respiratoryRate: [IntelliVueNomenclature.breathsPerMinute]
        }
    }

    func write(to writer: inout IntelliVueByteWriter) {
        writer.u16(physiologicalIdentifier)
        writer.u16(state.rawValue)
        writer.u16(unitCode)
        writer.u32(value.rawValue)
    }

    static func read(from reader: inout IntelliVueByteReader) throws(IntelliVueByteReader.Truncated) -> IntelliVueNumeric {
        IntelliVueNumeric(
            physiologicalIdentifier: try reader.u16(), state: IntelliVueMeasurementState(rawValue: try reader.u16()),
            unitCode: try reader.u16(), value: IntelliVueFloat(rawValue: try reader.u32()))
    }
}

/// One polled object: its handle, the numerics among its attributes (a compound such as NIBP
/// carries several) and the time stamps of their measurement.
public struct IntelliVueObservation: Hashable, Sendable {
    public var handle: UInt16
    public var numerics: [IntelliVueNumeric]
    /// Whether the numerics were sent as a compound value (NOM_ATTR_NU_CMPD_VAL_OBS).
    public var isCompound: Bool
    /// When the value was measured on the monitor's RelativeTime clock (NOM_ATTR_TIME_STAMP_REL,
    /// 1/8 ms ticks), if sent. An aperiodic measurement such as NIBP keeps its stamp in every poll
    /// until the next measurement, which is how a repeated value is told from a new one.
    public var relativeTimeStamp: UInt32?
    /// The same on the monitor's wall clock (NOM_ATTR_TIME_STAMP_ABS), if sent.
    public var absoluteTimeStamp: IntelliVueAbsoluteTime?

    public init(
        handle: UInt16, numerics: [IntelliVueNumeric], isCompound: Bool = false, relativeTimeStamp: UInt32? = nil,
        absoluteTimeStamp: IntelliVueAbsoluteTime? = nil
    ) {
        self.handle = handle
        self.numerics = numerics
        self.isCompound = isCompound
        self.relativeTimeStamp = relativeTimeStamp
        self.absoluteTimeStamp = absoluteTimeStamp
    }
}
