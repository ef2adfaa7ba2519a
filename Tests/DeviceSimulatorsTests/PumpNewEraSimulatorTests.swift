import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

/// A host talking to the NE-1000 model in simulated time, through the real codec.
struct NewEraTestHost {
    var pump: NewEraPumpSimulator
    var decoder = NewEraReplyDecoder()
    var time = MonotonicInstant.zero
    var framing = NewEraFraming.basic

    init(_ configuration: NewEraPumpSimulator.Configuration = .init()) {
        pump = NewEraPumpSimulator(configuration: configuration)
    }

    /// Sends `command` to address 0 and returns what came back, decoded.
    mutating func send(_ command: NewEraCommand, address: UInt8? = 0) -> [NewEraReplyDecoder.Output] {
        decoder.decode(pump.receive(NewEraRequest(address: address, command: command).encoded(framing), at: time))
    }

    /// Sends raw text (as a Basic line or safe packet) for rules the typed API cannot express.
    mutating func sendRaw(_ bytes: [UInt8]) -> [NewEraReplyDecoder.Output] {
        decoder.decode(pump.receive(bytes, at: time))
    }

    /// Sends `command` and requires exactly one well-formed reply.
    mutating func request(_ command: NewEraCommand) throws -> NewEraReply {
        let outputs = send(command)
        guard outputs.count == 1, case .reply(let reply) = outputs[0] else {
            Issue.record("expected one reply to \(command), got \(outputs)")
            throw UnexpectedOutput()
        }
        return reply
    }

    /// Lets simulated time pass in steps, collecting what the pump sends on its own.
    mutating func wait(_ duration: Duration, step: Duration = .milliseconds(250)) -> [NewEraReplyDecoder.Output] {
        let end = time + duration
        var outputs: [NewEraReplyDecoder.Output] = []
        while time < end {
            time = min(end, time + step)
            outputs += decoder.decode(pump.advance(to: time))
        }
        return outputs
    }

    mutating func control(_ line: String) -> String {
        pump.control(line.split(separator: " "), at: time)
    }

    func number(_ text: String) throws -> NewEraNumber {
        try #require(NewEraNumber(text: text))
    }

    /// Infused volume read back with `DIS`, in mL.
    mutating func infusedMillilitres() throws -> Double {
        let reply = try request(.queryDispensed)
        return try #require(reply.payload.flatMap(NewEraReplyValues.dispensed)).infusedMillilitres
    }

    /// Programs diameter, rate (mL/h), continuous volume and infuse direction, then runs.
    mutating func startInfusion(diameter: String = "26.59", rate: String) throws {
        #expect(try request(.setDiameter(number(diameter))).body == .payload(""))
        #expect(try request(.setRate(number(rate), .millilitresPerHour)).body == .payload(""))
        #expect(try request(.setVolume(.zero)).body == .payload(""))
        #expect(try request(.setDirection(.infuse)).body == .payload(""))
        #expect(try request(.run(phase: nil)).status == .infusing)
    }

    struct UnexpectedOutput: Error {}
}

@Suite struct PumpNewEraSimulatorTests {
    /// The issue's acceptance test: 10 minutes at 5.25 mL/h reads back 0.875 mL within 0.1 %.
    @Test(arguments: ["26.59", "11.99"])
    func tenMinuteInfusionMatchesRateTimesTime(diameter: String) throws {
        var host = NewEraTestHost()
        try host.startInfusion(diameter: diameter, rate: "5.25")
        #expect(host.wait(.seconds(600), step: .milliseconds(370)).isEmpty)
        #expect(try host.request(.stop).status == .paused)
        let expected = 5.25 * 600 / 3600
        let infused = try host.infusedMillilitres()
        #expect(abs(infused - expected) / expected < 0.001, "\(infused) mL vs \(expected) mL")
        #expect(try host.request(.queryRate).payload == "5.250MH")
    }

    @Test func referenceSessionAndRangeCheck() throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "5.0")
        // 9999 mL/h is above the 1699 mL/h a 26.59 mm syringe allows.
        let tooFast = try host.request(.setRate(host.number("9999"), .millilitresPerHour))
        #expect(tooFast.encoded == [0x02, 0x30, 0x30, 0x49, 0x3F, 0x4F, 0x4F, 0x52, 0x03])
        #expect(try host.request(.setRate(host.number("1699"), .millilitresPerHour)).error == nil)
        #expect(try host.request(.setRate(host.number("10"), .microlitresPerHour)).error == .notApplicable)
        #expect(try host.request(.setVolumeUnits(.microlitres)).error == .notApplicable)
        #expect(try host.request(.setDiameter(host.number("60"))).error == .notApplicable)
        #expect(try host.request(.queryVersion).payload == "NE1000V3.928")
        #expect(try host.request(.queryDiameter).payload == "26.59")
        #expect(host.sendRaw(Array("0BOGUS\r".utf8)) == [.reply(NewEraReply(address: 0, status: .infusing, body: .error(.notRecognised)))])
        #expect(host.send(.queryRate, address: 3).isEmpty, "another pump's address gets no answer")
    }

    /// `*ADR` re-addresses the pump for a daisy chain; it then answers only its new address.
    @Test func daisyChainAddress() throws {
        var host = NewEraTestHost()
        #expect(host.send(.setAddress(5, baud: nil)) == [.reply(NewEraReply(address: 5, status: .stopped))])
        #expect(host.send(.status, address: 0).isEmpty)
        #expect(host.send(.status, address: nil).isEmpty, "no prefix means address 0")
        #expect(host.send(.queryAddress) == [.reply(NewEraReply(address: 5, status: .stopped, body: .payload("5")))])
        #expect(host.send(.queryVersion, address: 5) == [.reply(NewEraReply(address: 5, status: .stopped, body: .payload("NE1000V3.928")))])
    }

    /// The 0.5 s inter-byte limit is for safe packets; a Basic line may be typed by hand.
    @Test func slowlyTypedBasicLineIsKept() {
        var host = NewEraTestHost()
        #expect(host.sendRaw(Array("0V".utf8)).isEmpty)
        host.time = host.time + .seconds(2)
        #expect(host.sendRaw(Array("ER\r".utf8)) == [.reply(NewEraReply(address: 0, status: .stopped, body: .payload("NE1000V3.928")))])
    }

    @Test func firstStopPausesSecondStops() throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "60")
        _ = host.wait(.seconds(60))
        #expect(try host.request(.stop).status == .paused)
        _ = host.wait(.seconds(60))
        #expect(abs(try host.infusedMillilitres() - 1.0) < 0.001, "nothing moves while paused")
        #expect(try host.request(.stop).status == .stopped)
        #expect(try host.request(.clearDispensed(.infused)).status == .stopped)
        #expect(try host.infusedMillilitres() == 0)
    }

    @Test func targetVolumeEndsTheRun() throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "60")
        #expect(try host.request(.stop).status == .paused)
        #expect(try host.request(.stop).status == .stopped)
        #expect(try host.request(.setVolume(host.number("0.5"))).error == nil)
        #expect(try host.request(.run(phase: nil)).status == .infusing)
        _ = host.wait(.seconds(60))
        #expect(try host.request(.status).status == .stopped)
        #expect(abs(try host.infusedMillilitres() - 0.5) < 0.001)
    }

    /// The first command after an alarm returns the alarm and is not executed.
    @Test func alarmIsAcknowledgedByTheNextCommandWhichIsNotExecuted() throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "5.0")
        #expect(host.control("power-cycle") == "ok")
        let first = try host.request(.setRate(host.number("7.5"), .millilitresPerHour))
        #expect(first.encoded == [0x02, 0x30, 0x30, 0x41, 0x3F, 0x52, 0x03])
        #expect(try host.request(.queryRate).payload == "5.000MH", "the acknowledged command did not run")
        #expect(try host.request(.setRate(host.number("7.5"), .millilitresPerHour)).status == .stopped)
        #expect(try host.request(.queryRate).payload == "7.500MH")
    }

    @Test(arguments: ["occlusion", "stall", "syringe-empty"])
    func motorFaultsStopThePumpWithAStallAlarm(fault: String) throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "36")
        _ = host.wait(.seconds(10))
        #expect(host.control("fault \(fault) on") == "ok")
        #expect(host.control("faults") == "ok \(fault)")
        _ = host.wait(.seconds(10))
        #expect(try host.request(.status).alarm == .stalled)
        #expect(try host.request(.status).status == .stopped)
        #expect(abs(try host.infusedMillilitres() - 0.1) < 0.001, "delivery stopped when the fault struck")
        #expect(host.control("fault \(fault) off") == "ok")
        #expect(try host.request(.run(phase: nil)).status == .infusing)
        _ = host.wait(.seconds(10))
        #expect(try host.request(.status).status == .infusing)
    }

    @Test func endOfTravelStallsAfterTheLoadedVolume() throws {
        var host = NewEraTestHost(.init(loadedMillilitres: 1))
        try host.startInfusion(rate: "60")
        _ = host.wait(.seconds(120))
        #expect(try host.request(.status).alarm == .stalled)
        #expect(abs(try host.infusedMillilitres() - 1.0) < 0.001)
    }

    @Test func noReplyExecutesButSendsNothing() throws {
        var host = NewEraTestHost()
        #expect(host.control("fault no-reply on") == "ok")
        #expect(host.send(.setRate(try host.number("5.0"), .millilitresPerHour)).isEmpty)
        #expect(host.send(.run(phase: nil)).isEmpty)
        #expect(host.control("fault no-reply off") == "ok")
        #expect(try host.request(.status).status == .infusing)
    }

    @Test func garbledReplyIsRejectedByTheHostDecoder() throws {
        var host = NewEraTestHost()
        #expect(host.control("fault garbled-reply on") == "ok")
        let outputs = host.send(.queryVersion) + host.send(.status)
        #expect(!outputs.contains { if case .reply = $0 { true } else { false } })
        #expect(host.control("fault garbled-reply off") == "ok")
        #expect(try host.request(.queryVersion).payload == "NE1000V3.928")
    }

    @Test func slowReplyArrivesAfterTheDelay() throws {
        var host = NewEraTestHost()
        #expect(host.control("fault slow-reply on") == "ok")
        #expect(host.send(.status).isEmpty)
        #expect(host.wait(.milliseconds(1900), step: .milliseconds(100)).isEmpty)
        #expect(host.wait(.milliseconds(200), step: .milliseconds(100)) == [.reply(NewEraReply(address: 0, status: .stopped))])
    }
}
