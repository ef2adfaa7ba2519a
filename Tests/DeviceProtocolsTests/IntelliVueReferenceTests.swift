import DeviceProtocols
import InfusionCore
import Testing

/// Parses whitespace-separated hex, as the reference prints bytes.
func intelliVueHex(_ text: String) -> [UInt8] {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
}

/// Worked bytes from docs/DEVICE-BASIS.md section 6.
enum IntelliVueReference {
    static let pollRequestFrame = intelliVueHex(
        """
        C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00
        F1 3B 00 14 00 01 00 01 00 06 00 00 00 01 00 08 F1 3E 00 04 00 03 A9 80 58 71 C1
        """)
    static let mdsCreateResultFrame = intelliVueHex(
        """
        C0 11 01 00 1C E1 00 00 02 00 02 00 14 00 01 00 01 00 0E 00 21 00 00 00 00 00 0A BD 00
        0D 06 00 00 39 17 C1
        """)
    static let numericsResult = intelliVueHex(
        """
        E1 00 00 02 00 02 00 84 00 01 00 07 00 7E 00 21 00 00 00 00 F1 3B 00 74
        00 01 00 00 00 12 34 56 FF FF FF FF FF FF FF FF 00 01 00 06 08 03
        00 01 00 5A 00 00 00 03 00 54
        00 10 00 01 00 0E 09 50 00 0A 4B B8 00 00 02 20 00 00 00 61
        00 11 00 01 00 0E 09 50 00 0A 41 82 00 00 0A A0 00 00 00 48
        00 12 00 01 00 26 09 4B 00 22 00 03 00 1E
        4A 05 00 00 0F 20 00 00 00 78 4A 06 00 00 0F 20 00 00 00 50 4A 07 00 00 0F 20 00 00 00 5D
        """)
    static let associationResponse = intelliVueHex(
        """
        0E CE 05 08 13 01 00 16 01 02 80 00 14 02 00 02 C1 BE
        31 80 A0 80 80 01 01 00 00 A2 80 A0 03 00 00 01 A5 80 30 80 80 01 00 81 02 51 01 00 00 30 80
        80 01 00 81 0C 2A 86 48 CE 14 02 01 00 00 00 02 01 00 00 00 00 61 80 30 80 02 01 01 A0 80 61
        80 A1 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 03 01 00 00 A2 03 02 01 00 A3 05 A1 03 02 01 00
        BE 80 28 80 02 01 02 81
        48 80 00 00 00 40 00 00 00 00 00 00 00 00 80 00 00 20 00 00 00 00 00 00 00 00 01 00 2C 00 01
        00 28 80 00 00 00 00 00 0F A0 00 00 03 E8 00 00 05 B0 FF FF FF FF 60 00 00 00 00 01 00 0C F0
        01 00 08 80 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        """)
    /// The AARQ's user info as the reference lists it (ext options 0x8C: numerics, waves, enumerations).
    static let requestUserInformation = intelliVueHex(
        """
        48 80 00 00 00 40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 00 2C
        00 01 00 28 80 00 00 00 00 00 09 C4 00 00 09 C4 00 00 03 E8 FF FF FF FF 60 00 00 00
        00 01 00 0C F0 01 00 08 8C 00 00 00 00 00 00 00
        """)
}

@Suite("IntelliVue reference bytes")
struct IntelliVueReferenceTests {
    @Test("the extended numerics poll request frames to the reference bytes, FCS 58 71")
    func pollRequestFrame() throws {
        let request = IntelliVuePollRequest(
            invokeIdentifier: 1, pollNumber: 1, objectClass: 0x0006, attributeGroup: 0, isExtended: true, period: 0x0003_A980)
        #expect(IntelliVueFraming.frame(IntelliVueMessage.pollRequest(request).userData) == IntelliVueReference.pollRequestFrame)
        var decoder = IntelliVueFrameDecoder()
        guard case .message(let userData) = try #require(decoder.decode(IntelliVueReference.pollRequestFrame).first) else {
            Issue.record("reference frame rejected")
            return
        }
        #expect(try IntelliVueMessage(userData: userData) == .pollRequest(request))
    }

    @Test("the MDS create result frames to the reference bytes, FCS 39 17")
    func mdsCreateResultFrame() throws {
        let message = IntelliVueMessage.mdsCreateResult(invokeIdentifier: 1, eventTime: 0x000A_BD00)
        #expect(IntelliVueFraming.frame(message.userData) == IntelliVueReference.mdsCreateResultFrame)
        var decoder = IntelliVueFrameDecoder()
        #expect(decoder.decode(IntelliVueReference.mdsCreateResultFrame) == [.message(message.userData)])
    }

    @Test("the minimal numerics result carries FCS BE F3 and decodes to SpO2 97, HR 72, NIBP 120/80 (93)")
    func numericsResult() throws {
        #expect(IntelliVueReference.numericsResult.count == 140)
        let frame = IntelliVueFraming.frame(IntelliVueReference.numericsResult)
        #expect(frame.prefix(5) == [0xC0, 0x11, 0x01, 0x00, 0x8C])
        #expect(frame.suffix(3) == [0xBE, 0xF3, 0xC1])
        #expect(frame.count == 140 + 8)

        guard case .pollResult(let result) = try IntelliVueMessage(userData: IntelliVueReference.numericsResult) else {
            Issue.record("not a poll result")
            return
        }
        #expect(result.isExtended)
        #expect(result.relativeTime == 0x0012_3456)
        #expect(result.linkedState == nil)
        #expect(result.contexts.first?.observations.map(\.handle) == [0x10, 0x11, 0x12])
        #expect(result.contexts.first?.observations.last?.isCompound == true)
        let vitals = result.numerics.compactMap { $0.vitalSign(at: .seconds(9)) }
        let values = Dictionary(uniqueKeysWithValues: vitals.map { ($0.parameter, $0.trustworthyValue) })
        #expect(values == [.spo2: 97, .ecgHeartRate: 72, .nibpSystolic: 120, .nibpDiastolic: 80, .nibpMean: 93])
        // Re-encoding the parsed message gives the reference bytes back.
        #expect(IntelliVueMessage.pollResult(result).userData == IntelliVueReference.numericsResult)
    }

    @Test("the association response is the reference AARE byte for byte, and its profile parses")
    func associationResponse() throws {
        #expect(IntelliVueAssociation.response() == IntelliVueReference.associationResponse)
        let message = try IntelliVueMessage(userData: IntelliVueReference.associationResponse)
        #expect(message == .associationResponse(.simulatedMonitor))
        #expect(IntelliVuePollProfile.simulatedMonitor.minimumPollPeriod == 0x0FA0)
    }

    @Test("the association request is 238 bytes with the reference user info")
    func associationRequest() throws {
        var profile = IntelliVuePollProfile.numericsClient
        profile.extendedOptions = 0x8C00_0000
        let request = IntelliVueAssociation.request(profile: profile)
        #expect(request.count == 238)
        #expect(request.prefix(2) == [0x0D, 0xEC])
        #expect(Array(request[149..<(149 + 73)]) == IntelliVueReference.requestUserInformation)
        #expect(request.suffix(16).allSatisfy { $0 == 0 })
        #expect(try IntelliVueMessage(userData: IntelliVueAssociation.request()) == .associationRequest(.numericsClient))
    }

    @Test("release and abort messages are recognised")
    func releaseAndAbort() throws {
        #expect(try IntelliVueMessage(userData: IntelliVueAssociation.releaseRequest) == .releaseRequest)
        #expect(try IntelliVueMessage(userData: IntelliVueAssociation.releaseResponse) == .releaseResponse)
        #expect(try IntelliVueMessage(userData: IntelliVueAssociation.abort) == .abort)
        #expect(IntelliVueAssociation.releaseRequest.count == 26)
        #expect(IntelliVueAssociation.abort.count == 48)
    }
}
