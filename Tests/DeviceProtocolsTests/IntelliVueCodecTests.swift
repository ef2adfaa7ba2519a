import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing

@Suite("IntelliVue framing and numerics")
struct IntelliVueCodecTests {
    @Test("bytes equal to BOF, EOF or escape are stuffed everywhere, the FCS included, and come back")
    func escaping() {
        for seed in UInt64(0)..<200 {
            var random = Xoshiro(seed: (seed, 11, 12, 13))
            let userData = (0..<Int.random(in: 0...64, using: &random)).map { _ in
                [0xC0, 0xC1, 0x7D, UInt8.random(in: 0...255, using: &random)].randomElement(using: &random) ?? 0
            }
            let frame = IntelliVueFraming.frame(userData)
            #expect(frame.first == 0xC0)
            #expect(frame.last == 0xC1)
            #expect(!frame.dropFirst().dropLast().contains(0xC0))
            #expect(!frame.dropFirst().dropLast().contains(0xC1))
            var decoder = IntelliVueFrameDecoder()
            #expect(decoder.decode(frame) == [.message(userData)])
        }
    }

    @Test("a damaged byte fails the FCS; an abort sequence drops the frame; the next frame decodes")
    func damagedFrames() {
        let good = IntelliVueFraming.frame([0xE1, 0x00, 0x00, 0x02, 0x01])
        var damaged = good
        damaged[6] ^= 0x01
        let aborted = Array(good.dropLast()) + IntelliVueFraming.abortSequence
        let truncated = Array(good.dropLast(3))
        var decoder = IntelliVueFrameDecoder()
        let events = decoder.decode(damaged + aborted + [0x55, 0x66] + truncated + good)
        #expect(events == [.rejected(.badChecksum), .rejected(.aborted), .rejected(.truncated), .message([0xE1, 0, 0, 2, 1])])
    }

    @Test("a frame longer than the bound is dropped and decoding resumes")
    func boundedFrame() {
        var decoder = IntelliVueFrameDecoder(maximumFrameLength: 64)
        let long = IntelliVueFraming.frame([UInt8](repeating: 0x11, count: 100))
        let short = IntelliVueFraming.frame([0x01])
        #expect(decoder.decode(long + short) == [.rejected(.tooLong), .message([0x01])])
    }

    @Test(
        "FLOAT-Type values and specials",
        arguments: [
            (0xFE00_007D as UInt32, 1.25 as Double?), (0x0000_0061, 97), (0xFF00_0005, 0.5), (0x01FF_FFFF, -10),
            (0x007F_FFFF, nil), (0x0080_0000, nil),
        ])
    func floats(raw: UInt32, expected: Double?) {
        #expect(IntelliVueFloat(rawValue: raw).value == expected)
    }

    @Test("FLOAT-Type encodes with the fewest decimals and round-trips", arguments: [0, 97, 1.25, 36.6, -4, 0.001])
    func floatRoundTrip(value: Double) {
        let float = IntelliVueFloat(value)
        #expect(float.value.map { abs($0 - value) < 1e-9 } == true)
        #expect(IntelliVueFloat(1.25).rawValue == 0xFE00_007D)
    }

    @Test(
        "measurement state decides validity: any high-byte bit invalidates",
        arguments: [
            (0x0000 as UInt16, true), (0x0080, true), (0x0002, true), (0x8000, false), (0x4000, false), (0x2000, false),
            (0x0400, false), (0x0800, false),
        ])
    func measurementState(raw: UInt16, trustworthy: Bool) {
        let numeric = IntelliVueNumeric(
            physiologicalIdentifier: 0x4BB8, state: IntelliVueMeasurementState(rawValue: raw), unitCode: 0x0220,
            value: IntelliVueFloat(95))
        let vital = numeric.vitalSign(at: .zero)
        #expect(vital?.value == 95)
        #expect((vital?.trustworthyValue != nil) == trustworthy)
    }

    @Test("NaN, infinity, a foreign unit and an unwatched parameter are handled")
    func oddNumerics() {
        let nan = IntelliVueNumeric(physiologicalIdentifier: 0x4A05, state: [], unitCode: 0x0F20, value: IntelliVueFloat(nil))
        #expect(nan.vitalSign(at: .zero)?.value == nil)
        #expect(nan.vitalSign(at: .zero)?.flags.contains(.invalid) == true)
        let infinite = IntelliVueNumeric(
            physiologicalIdentifier: 0x4822, state: [], unitCode: 0x0AC0, value: IntelliVueFloat(rawValue: 0x007F_FFFE))
        #expect(infinite.vitalSign(at: .zero)?.flags.contains(.outOfRange) == true)
        let kilopascal = IntelliVueNumeric(physiologicalIdentifier: 0x4A05, state: [], unitCode: 0x0F03, value: IntelliVueFloat(16))
        #expect(kilopascal.vitalSign(at: .zero)?.trustworthyValue == nil)
        let temperature = IntelliVueNumeric(physiologicalIdentifier: 0x4B48, state: [], unitCode: 0x17A0, value: IntelliVueFloat(37))
        #expect(temperature.vitalSign(at: .zero) == nil)
    }

    @Test("linked results, single polls and errors round-trip through bytes")
    func messageRoundTrips() throws {
        var linked = IntelliVuePollResult(
            invokeIdentifier: 7, pollNumber: 3, isExtended: true, sequenceNumber: 4, relativeTime: 99,
            objectClass: 0x0006, attributeGroup: 0x0803,
            contexts: [
                IntelliVueContextPoll(contextIdentifier: 0, observations: [
                    IntelliVueObservation(handle: 1, numerics: [
                        IntelliVueNumeric(physiologicalIdentifier: 0x4BB8, state: .questionable, unitCode: 0x0220, value: IntelliVueFloat(91))
                    ])
                ]),
                IntelliVueContextPoll(contextIdentifier: 1, observations: []),
            ])
        linked.linkedState = .middle
        linked.linkedCount = 2
        let single = IntelliVuePollResult(
            invokeIdentifier: 8, pollNumber: 4, isExtended: false, relativeTime: 5, objectClass: 0x0036,
            attributeGroup: 0x0811, contexts: [])
        let keepAlive = IntelliVuePollRequest(
            invokeIdentifier: 9, pollNumber: 5, objectClass: 0x0036, attributeGroup: 0x0811, isExtended: false)
        let messages: [IntelliVueMessage] = [
            .pollResult(linked), .pollResult(single), .pollRequest(keepAlive),
            .mdsCreateEvent(invokeIdentifier: 3, eventTime: 0x1234_5678),
            .remoteError(invokeIdentifier: 2, errorValue: 0x0011), .unsupported, .associationRefused,
        ]
        for message in messages {
            #expect(try IntelliVueMessage(userData: message.userData) == message)
        }
    }

    @Test("lengths that point beyond the data are reported, not followed")
    func lyingLengths() {
        var data = IntelliVueReference.numericsResult
        data[7] = 0xFF  // ROapdus length
        #expect(throws: IntelliVueMessageError.truncated) { try IntelliVueMessage(userData: data) }
        #expect(throws: IntelliVueMessageError.unknownSession) { try IntelliVueMessage(userData: [0x42]) }
    }

    @Test("100,000 random and truncated inputs never crash the frame decoder or the message parser")
    func fuzz() async {
        var random = Xoshiro(seed: (0x4956, 0x4D50, 6, 7))
        let valid = [
            IntelliVueFraming.frame(IntelliVueReference.numericsResult), IntelliVueReference.pollRequestFrame,
            IntelliVueFraming.frame(IntelliVueAssociation.response()),
        ]
        var decoder = IntelliVueFrameDecoder(maximumFrameLength: 512)
        var fed = 0
        var parsed = 0
        for iteration in 0..<100_000 {
            // Give the shared test thread pool back now and then: the drivers and simulators on ptys
            // in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            var input: [UInt8]
            if iteration.isMultiple(of: 2) {
                input = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                let frame = valid[iteration % valid.count]
                input = Array(frame.prefix(Int.random(in: 0...frame.count, using: &random)))
                if input.count > 2, Bool.random(using: &random) {
                    input[Int.random(in: 1..<input.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            fed += input.count
            for case .message(let userData) in decoder.decode(input) {
                parsed += 1
                _ = try? IntelliVueMessage(userData: userData)
            }
            // Feed the same bytes straight to the parser too: user data can be anything a monitor sends.
            var mutated = IntelliVueReference.numericsResult
            mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            _ = try? IntelliVueMessage(userData: Array(mutated.prefix(Int.random(in: 0...mutated.count, using: &random))))
        }
        #expect(decoder.discardedByteCount <= fed)
        #expect(parsed > 0)
    }
}
