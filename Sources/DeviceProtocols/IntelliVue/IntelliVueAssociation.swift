/// The poll profile each side announces in its association user info (NOM_POLL_PROFILE_SUPPORT).
///
/// Layout and the reference values: docs/DEVICE-BASIS.md section 6, "Session layer".
public struct IntelliVuePollProfile: Hashable, Sendable {
    /// The shortest poll period, in RelativeTime ticks of 1/8 ms.
    public var minimumPollPeriod: UInt32
    public var maximumReceiveUnit: UInt32
    public var maximumTransmitUnit: UInt32
    public var maximumTransmitBandwidth: UInt32
    /// Poll profile options (0x60000000: dynamic create and delete of objects).
    public var options: UInt32
    /// NOM_ATTR_POLL_PROFILE_EXT options; 0x80000000 asks for numerics every second.
    public var extendedOptions: UInt32

    public init(
        minimumPollPeriod: UInt32, maximumReceiveUnit: UInt32, maximumTransmitUnit: UInt32,
        maximumTransmitBandwidth: UInt32 = 0xFFFF_FFFF, options: UInt32 = 0x6000_0000, extendedOptions: UInt32
    ) {
        self.minimumPollPeriod = minimumPollPeriod
        self.maximumReceiveUnit = maximumReceiveUnit
        self.maximumTransmitUnit = maximumTransmitUnit
        self.maximumTransmitBandwidth = maximumTransmitBandwidth
        self.options = options
        self.extendedOptions = extendedOptions
    }

    /// What a numerics-only client announces: the reference AARQ's values with only
    /// POLL_EXT_PERIOD_NU_1SEC set, since at least one numeric-period bit is required.
    public static let numericsClient = IntelliVuePollProfile(
        minimumPollPeriod: 2500, maximumReceiveUnit: 2500, maximumTransmitUnit: 1000, extendedOptions: 0x8000_0000)

    /// What the simulated monitor announces: the reference AARE's values.
    public static let simulatedMonitor = IntelliVuePollProfile(
        minimumPollPeriod: 4000, maximumReceiveUnit: 1000, maximumTransmitUnit: 1456, extendedOptions: 0x8000_0000)
}

/// Association control messages (AARQ, AARE, release, abort) of Data Export over RS232.
///
/// The presentation-layer bytes around the user info are fixed for this protocol; they are the
/// reference's AARQ and AARE with the user info rebuilt from a poll profile.
public enum IntelliVueAssociation {
    /// SYST_CLIENT: without it the monitor refuses the association.
    public static let clientSystemType: UInt32 = 0x8000_0000
    /// The system type a monitor answers with.
    public static let serverSystemType: UInt32 = 0x0080_0000

    /// The association request a client sends first.
    public static func request(profile: IntelliVuePollProfile = .numericsClient) -> [UInt8] {
        requestPrefix + userInformation(systemType: clientSystemType, profile: profile) + trailer
    }

    /// The association response (accept) a monitor answers with.
    public static func response(profile: IntelliVuePollProfile = .simulatedMonitor) -> [UInt8] {
        responsePrefix + userInformation(systemType: serverSystemType, profile: profile) + trailer
    }

    public static let releaseRequest: [UInt8] = [
        0x09, 0x18, 0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x62, 0x80, 0x80,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    public static let releaseResponse: [UInt8] = [
        0x0A, 0x18, 0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x63, 0x80, 0x80,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    public static let abort: [UInt8] = [
        0x19, 0x2E, 0x11, 0x01, 0x03, 0xC1, 0x29, 0xA0, 0x80, 0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01,
        0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0,
        0x80, 0x64, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    /// The poll profile in an AARQ or AARE built on the reference template, or nil if `message` does
    /// not carry a user info of that shape.
    public static func pollProfile(in message: [UInt8]) -> IntelliVuePollProfile? {
        guard message.count > userInformationLength + trailer.count + 2 else { return nil }
        let start = message.count - trailer.count - userInformationLength
        guard message[start - 2] == 0x81, message[start - 1] == UInt8(userInformationLength) else { return nil }
        var reader = IntelliVueByteReader(Array(message[start..<(start + userInformationLength)]))
        do {
            try reader.skip(24)  // versions, functional units, system type, startup mode, option list
            try reader.skip(4)  // supported profiles: count, length
            guard try reader.u16() == 0x0001 else { return nil }  // NOM_POLL_PROFILE_SUPPORT
            try reader.skip(6)  // attribute length, poll profile revision
            var profile = IntelliVuePollProfile(
                minimumPollPeriod: try reader.u32(), maximumReceiveUnit: try reader.u32(),
                maximumTransmitUnit: try reader.u32(), maximumTransmitBandwidth: try reader.u32(),
                options: try reader.u32(), extendedOptions: 0)
            try reader.skip(4)  // optional packages: count, length
            guard try reader.u16() == 0xF001 else { return nil }  // NOM_ATTR_POLL_PROFILE_EXT
            try reader.skip(2)
            profile.extendedOptions = try reader.u32()
            return profile
        } catch {
            return nil
        }
    }

    private static let userInformationLength = 72
    private static let trailer = [UInt8](repeating: 0, count: 16)

    private static func userInformation(systemType: UInt32, profile: IntelliVuePollProfile) -> [UInt8] {
        var writer = IntelliVueByteWriter()
        writer.u8(UInt8(userInformationLength))
        writer.u32(0x8000_0000)  // protocol version: MDDL version 1
        writer.u32(0x4000_0000)  // nomenclature version
        writer.u32(0)  // functional units
        writer.u32(systemType)
        writer.u32(0x2000_0000)  // startup mode: cold start
        writer.u32(0)  // option list: count 0, length 0
        writer.u16(1)  // supported application profiles: one entry
        writer.u16(44)
        writer.u16(0x0001)  // NOM_POLL_PROFILE_SUPPORT
        writer.u16(40)
        writer.u32(0x8000_0000)  // poll profile revision 0
        writer.u32(profile.minimumPollPeriod)
        writer.u32(profile.maximumReceiveUnit)
        writer.u32(profile.maximumTransmitUnit)
        writer.u32(profile.maximumTransmitBandwidth)
        writer.u32(profile.options)
        writer.u16(1)  // optional packages: one entry
        writer.u16(12)
        writer.u16(0xF001)  // NOM_ATTR_POLL_PROFILE_EXT
        writer.u16(8)
        writer.u32(profile.extendedOptions)
        writer.u32(0)  // extended attribute list: empty
        return writer.bytes
    }

    private static let requestPrefix: [UInt8] = [
        0x0D, 0xEC, 0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02,
        0xC1, 0xDC, 0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00,
        0x00, 0x01, 0xA4, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30,
        0x80, 0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0C,
        0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x30, 0x80, 0x06, 0x0C,
        0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x60, 0x80, 0xA1, 0x80, 0x06,
        0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xBE,
        0x80, 0x28, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x01, 0x02, 0x01, 0x02, 0x81,
    ]

    private static let responsePrefix: [UInt8] = [
        0x0E, 0xCE, 0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02,
        0xC1, 0xBE, 0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00,
        0x00, 0x01, 0xA5, 0x80, 0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x02, 0x51, 0x01, 0x00, 0x00, 0x30,
        0x80, 0x80, 0x01, 0x00, 0x81, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00,
        0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x61,
        0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03,
        0x01, 0x00, 0x00, 0xA2, 0x03, 0x02, 0x01, 0x00, 0xA3, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x00, 0xBE,
        0x80, 0x28, 0x80, 0x02, 0x01, 0x02, 0x81,
    ]
}
