import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing

/// Round trips and the parsing rules of the NE-1000 codec beyond the reference's worked bytes.
@Suite struct NewEraCodecTests {
    /// Every command the host can build parses back to itself on the device side, in both framings
    /// and at any address.
    @Test func everyCommandRoundTrips() throws {
        let number = try #require(NewEraNumber(text: "12.5"))
        var commands: [NewEraCommand] = [
            .status, .queryVersion, .setDiameter(number), .queryDiameter, .setRate(number, nil),
            .queryRate, .setVolume(number), .queryVolume, .setDirection(.reverse), .queryDirection,
            .run(phase: nil), .run(phase: 3), .purge, .stop, .queryDispensed, .setSafeModeTimeout(255),
            .querySafeModeTimeout, .setAddress(12, baud: nil), .setAddress(7, baud: 19200), .queryAddress,
        ]
        commands += NewEraRateUnits.allCases.map { .setRate(number, $0) }
        commands += NewEraVolumeUnits.allCases.map { .setVolumeUnits($0) }
        commands += NewEraVolumeCounter.allCases.map { .clearDispensed($0) }
        for command in commands {
            for address: UInt8? in [nil, 0, 9, 99] {
                for framing in [NewEraFraming.basic, .safe] {
                    let request = NewEraRequest(address: address, command: command)
                    var decoder = NewEraCommandDecoder()
                    #expect(decoder.decode(request.encoded(framing)) == [.request(request, framing)])
                }
            }
        }
    }

    /// The pump strips spaces and control characters and upper-cases (manual syntax rules), which
    /// is how the manual's network-burst example `0 rat 100` reads.
    @Test func basicParsingIsLenient() throws {
        let request = NewEraRequest(parsing: Array(" 1 rat\t100 mh".utf8))
        #expect(request.addressing == .pump(1))
        #expect(request.command == .setRate(try #require(NewEraNumber(text: "100")), .millilitresPerHour))
        #expect(NewEraRequest(parsing: Array("0FOO".utf8)).command == nil)
        #expect(NewEraRequest(parsing: Array("0RAT12345".utf8)).command == nil)
        #expect(NewEraRequest(parsing: Array("*ADR5".utf8)).isAddressed(to: 42))
        #expect(!NewEraRequest(parsing: Array("5DIS".utf8)).isAddressed(to: 0))
        #expect(NewEraRequest(parsing: Array("DIS".utf8)).isAddressed(to: 0))
    }

    @Test func numberFormatFollowsThePumpsRules() throws {
        for valid in ["26.59", "0.125", "1700", "5.0", "2500.", ".5", "9999"] {
            #expect(NewEraNumber(text: valid) != nil, "\(valid)")
        }
        for invalid in ["", ".", "12345", "1.2345", "1..2", "-1", "1e3", "12.5MH", "99999"] {
            #expect(NewEraNumber(text: invalid) == nil, "\(invalid)")
        }
        #expect(NewEraNumber(rounding: 5.25)?.text == "5.25")
        #expect(NewEraNumber(rounding: 1700)?.text == "1700")
        #expect(NewEraNumber(rounding: 12.3456)?.text == "12.35")
        #expect(NewEraNumber(rounding: 0.1254)?.text == "0.125")
        #expect(NewEraNumber(rounding: 9999.6) == nil)
        #expect(NewEraNumber(rounding: -1) == nil)
        #expect(NewEraNumber(rounding: .nan) == nil)
        #expect(NewEraNumber(fixedWidth: 5)?.text == "5.000")
        #expect(NewEraNumber(fixedWidth: 26.59)?.text == "26.59")
        #expect(NewEraNumber(fixedWidth: 150)?.text == "150.0")
        #expect(NewEraNumber(fixedWidth: 2500)?.text == "2500.")
        #expect(NewEraNumber(fixedWidth: 9.9996)?.text == "10.00")
    }

    /// Any value the pump can hold survives rounding to text and back within half its last digit.
    @Test func roundingStaysWithinHalfALastDigit() async {
        await propertyCheck(count: 2000, input: Gen.double(in: 0...9999.4)) { value in
            guard let number = NewEraNumber(rounding: value) else {
                Issue.record("no pump number for \(value)")
                return
            }
            let integerDigits = String(Int(value.rounded(.down))).count
            let allowedDecimals = min(3, 4 - integerDigits)
            let tolerance = 0.5 / (0..<allowedDecimals).reduce(1.0) { power, _ in power * 10 }
            #expect(abs(number.value - value) <= tolerance + 1e-9, "\(value) → \(number)")
            #expect(NewEraNumber(text: number.text) == number)
        }
    }

    @Test func replyPayloadReaders() throws {
        let version = try #require(NewEraReplyValues.version("NE1000V3.928"))
        #expect(version == .init(model: 1000, major: 3, minor: 928))
        #expect(NewEraReplyValues.version("NE1000X2V3.928")?.upgrade == 2)
        #expect(NewEraReplyValues.version("NE1000") == nil)
        #expect(NewEraReplyValues.rate(" 5.000 MH")?.value == 5)
        #expect(NewEraReplyValues.rate("5.000") == nil)
        #expect(NewEraReplyValues.volume("10.00ML")?.units == .millilitres)
        #expect(NewEraReplyValues.number("26.59") == 26.59)
        #expect(NewEraReplyValues.direction("WDR") == .withdraw)
        #expect(NewEraReplyValues.dispensed("I1.0W") == nil)
    }

    /// Alarm and error replies map to the domain the way the core expects.
    @Test func observationMapsStatusRateAndVolume() {
        let status = NewEraReply(address: 0, status: .infusing)
        let rate = NewEraReply(address: 0, status: .infusing, body: .payload("5.250MH"))
        let dispensed = NewEraReply(address: 0, status: .infusing, body: .payload("I875.0W0.000UL"))
        let observation = NewEraReply.observation(status: status, rate: rate, dispensed: dispensed, at: .seconds(3))
        #expect(observation.state == .infusing)
        #expect(observation.rateMillilitresPerHour == 5.25)
        #expect(observation.infusedMillilitres == 0.875)
        #expect(observation.alarms.isEmpty)
        let stalled = NewEraReply.observation(status: NewEraReply(address: 0, status: .alarm(.stalled)), at: .zero)
        #expect(stalled.state == .alarmed && stalled.alarms == [.occlusion])
        let timeout = NewEraReply.observation(status: NewEraReply(address: 0, status: .alarm(.safeModeTimeout)), at: .zero)
        #expect(timeout.alarms == [.communicationTimeout])
        #expect(NewEraStatus.paused.runState == .paused)
        #expect(NewEraStatus.withdrawing.runState == .unknown)
    }

    /// The diameter-derived rate range matches the syringe table of docs/DEVICE-BASIS.md §1.
    @Test func rateLimitsFollowTheDiameter() {
        let limits = NewEraPumpLimits.ne1000
        let bd60 = limits.rateRangeMillilitresPerHour(diameterMillimetres: 26.59)
        #expect(abs(bd60.upperBound - 1699) < 1)
        #expect(abs(bd60.lowerBound * 1000 - 23.4) < 0.1)
        let bd1 = limits.rateRangeMillilitresPerHour(diameterMillimetres: 4.699)
        #expect(abs(bd1.lowerBound * 1000 - 0.729) < 0.001)
        #expect(abs(bd1.upperBound - 53.07) < 0.05)
        #expect(NewEraVolumeUnits.selected(byDiameterMillimetres: 14.0) == .microlitres)
        #expect(NewEraVolumeUnits.selected(byDiameterMillimetres: 14.43) == .millilitres)
    }
}
