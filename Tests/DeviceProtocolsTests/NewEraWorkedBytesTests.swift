import DeviceProtocols
import Testing

/// Every worked exchange of docs/DEVICE-BASIS.md §1 "Worked exchanges (hex)", in both directions:
/// our encoder must produce the bytes, and our decoders must read them back to the same meaning.
@Suite struct NewEraWorkedBytesTests {
    private func number(_ text: String) throws -> NewEraNumber {
        try #require(NewEraNumber(text: text))
    }

    private func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").compactMap { UInt8($0, radix: 16) }
    }

    private func decodeRequest(_ bytes: [UInt8]) -> [NewEraCommandDecoder.Output] {
        var decoder = NewEraCommandDecoder()
        return decoder.decode(bytes)
    }

    private func decodeReply(_ bytes: [UInt8]) throws -> NewEraReply {
        var decoder = NewEraReplyDecoder()
        let outputs = decoder.decode(bytes)
        try #require(outputs.count == 1)
        guard case .reply(let reply) = outputs[0] else {
            Issue.record("expected a reply, got \(outputs[0])")
            throw DecodeFailure()
        }
        #expect(decoder.discardedByteCount == 0)
        return reply
    }

    private struct DecodeFailure: Error {}

    @Test func basicModeHostCommands() throws {
        let cases: [(NewEraCommand, String)] = [
            (.setDiameter(try number("26.59")), "30 44 49 41 32 36 2E 35 39 0D"),
            (.setRate(try number("5.0"), .millilitresPerHour), "30 52 41 54 35 2E 30 4D 48 0D"),
            (.setVolume(try number("0")), "30 56 4F 4C 30 0D"),
            (.setDirection(.infuse), "30 44 49 52 49 4E 46 0D"),
            (.run(phase: nil), "30 52 55 4E 0D"),
            (.queryDispensed, "30 44 49 53 0D"),
        ]
        for (command, bytes) in cases {
            let request = NewEraRequest(address: 0, command: command)
            #expect(request.encoded(.basic) == hex(bytes), "\(command)")
            #expect(decodeRequest(hex(bytes)) == [.request(request, .basic)], "\(command)")
        }
        #expect(NewEraRequest(address: 0, command: .setRate(try number("9999"), .millilitresPerHour)).text == "0RAT9999MH")
    }

    @Test func basicModePumpReplies() throws {
        let cases: [(NewEraReply, String)] = [
            (NewEraReply(address: 0, status: .stopped), "02 30 30 53 03"),
            (NewEraReply(address: 0, status: .infusing), "02 30 30 49 03"),
            (
                NewEraReply(address: 0, status: .infusing, body: .payload("I0.125W0.000ML")),
                "02 30 30 49 49 30 2E 31 32 35 57 30 2E 30 30 30 4D 4C 03"
            ),
            (NewEraReply(address: 0, status: .infusing, body: .error(.outOfRange)), "02 30 30 49 3F 4F 4F 52 03"),
            (NewEraReply(address: 0, status: .alarm(.reset)), "02 30 30 41 3F 52 03"),
        ]
        for (reply, bytes) in cases {
            #expect(reply.encoded == hex(bytes), "\(reply)")
            #expect(try decodeReply(hex(bytes)) == reply)
        }
        let dispensed = try #require(NewEraReplyValues.dispensed("I0.125W0.000ML"))
        #expect(dispensed == .init(infused: 0.125, withdrawn: 0, units: .millilitres))
    }

    /// The first row is the manual's own example packet; it pins the CRC variant and byte order.
    @Test func safeModeManualExampleSAF0() {
        let request = NewEraRequest(address: nil, command: .setSafeModeTimeout(0))
        #expect(request.encoded(.safe) == [0x02, 0x08, 0x53, 0x41, 0x46, 0x30, 0x55, 0x43, 0x03])
        #expect(decodeRequest(request.encoded(.safe)) == [.request(request, .safe)])
    }

    @Test func safeModeHostPackets() throws {
        let cases: [(NewEraCommand, String)] = [
            (.setSafeModeTimeout(50), "02 0A 30 53 41 46 35 30 AF 7A 03"),
            (.status, "02 05 30 36 53 03"),
            (.setRate(try number("5.0"), .millilitresPerHour), "02 0D 30 52 41 54 35 2E 30 4D 48 6E 2C 03"),
            (.queryDispensed, "02 08 30 44 49 53 30 46 03"),
        ]
        for (command, bytes) in cases {
            let request = NewEraRequest(address: 0, command: command)
            #expect(request.encoded(.safe) == hex(bytes), "\(command)")
            #expect(decodeRequest(hex(bytes)) == [.request(request, .safe)], "\(command)")
        }
    }

    @Test func safeModePumpPackets() throws {
        let cases: [(NewEraReply, String)] = [
            (NewEraReply(address: 0, status: .stopped, framing: .safe), "02 07 30 30 53 AA A6 03"),
            (NewEraReply(address: 0, status: .infusing, framing: .safe), "02 07 30 30 49 19 DD 03"),
            (
                NewEraReply(address: 0, status: .stopped, body: .payload("5.000MH"), framing: .safe),
                "02 0E 30 30 53 35 2E 30 30 30 4D 48 98 F7 03"
            ),
            (NewEraReply(address: 0, status: .alarm(.safeModeTimeout), framing: .safe), "02 09 30 30 41 3F 54 05 40 03"),
            (
                NewEraReply(address: 0, status: .stopped, body: .error(.outOfRange), framing: .safe),
                "02 0B 30 30 53 3F 4F 4F 52 23 3F 03"
            ),
        ]
        for (reply, bytes) in cases {
            #expect(reply.encoded == hex(bytes), "\(reply)")
            #expect(try decodeReply(hex(bytes)) == reply)
        }
        let rate = try #require(NewEraReplyValues.rate("5.000MH"))
        #expect(rate.value == 5 && rate.units == .millilitresPerHour)
    }
}
