import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

/// A host talking to the Harvard model in simulated time, through the real codec.
struct HarvardTestHost {
    var pump: HarvardPumpSimulator
    var decoder = HarvardReplyDecoder()
    var time = MonotonicInstant.zero

    init(_ configuration: HarvardPumpSimulator.Configuration = .init()) {
        pump = HarvardPumpSimulator(configuration: configuration)
    }

    mutating func send(_ command: HarvardCommand) -> [HarvardReply] {
        decoder.decode(pump.receive(HarvardRequest(address: nil, command: command).encoded ?? [], at: time))
    }

    mutating func request(_ command: HarvardCommand) throws -> HarvardReply {
        let replies = send(command)
        try #require(replies.count == 1, "expected one reply to \(command), got \(replies)")
        return replies[0]
    }

    mutating func wait(_ duration: Duration, step: Duration = .milliseconds(250)) -> [HarvardReply] {
        let end = time + duration
        var replies: [HarvardReply] = []
        while time < end {
            time = min(end, time + step)
            replies += decoder.decode(pump.advance(to: time))
        }
        return replies
    }

    mutating func control(_ line: String) -> String {
        pump.control(line.split(separator: " "), at: time)
    }

    mutating func infusedMillilitres() throws -> Double {
        let line = try #require(try request(.queryInfusedVolume).lines.first)
        let volume = try #require(HarvardReplyValues.volume(line))
        return volume.value * volume.units.millilitres
    }
}

@Suite struct PumpHarvardSimulatorTests {
    @Test func tenMinuteInfusionMatchesRateTimesTime() throws {
        var host = HarvardTestHost()
        #expect(try host.request(.setDiameter(26.59)).prompt == .idle)
        #expect(try host.request(.setInfusionRate(5.25, .millilitresPerHour)).prompt == .idle)
        #expect(try host.request(.run).prompt == .infusing)
        #expect(host.wait(.seconds(600), step: .milliseconds(370)).isEmpty)
        #expect(try host.request(.stop).prompt == .idle)
        let infused = try host.infusedMillilitres()
        #expect(abs(infused - 0.875) / 0.875 < 0.001, "\(infused) mL")
        let status = try #require(HarvardReplyValues.status(try host.request(.queryStatus).lines.first ?? ""))
        #expect(abs(status.volumeMillilitres - 0.875) < 1e-6 && !status.isRunning)
        #expect(try host.request(.queryInfusionRate).lines == ["5.2500 ml/h"])
    }

    @Test func targetVolumeStopsWithTargetPrompt() throws {
        var host = HarvardTestHost()
        _ = try host.request(.setInfusionRate(60, .millilitresPerHour))
        _ = try host.request(.setTargetVolume(500, .microlitres))
        #expect(try host.request(.run).prompt == .infusing)
        _ = host.wait(.seconds(60))
        #expect(try host.request(.prompt).prompt == .targetReached)
        #expect(abs(try host.infusedMillilitres() - 0.5) < 1e-4)
        #expect(try host.request(.clearTargetVolume).prompt == .idle)
    }

    @Test func errorsForUnknownCommandsAndBadValues() throws {
        var host = HarvardTestHost()
        let unknown = host.decoder.decode(host.pump.receive(Array("frobnicate\r".utf8), at: .zero))
        #expect(unknown == [HarvardReply(address: 0, lines: ["?"], prompt: .idle)])
        #expect(try host.request(.setInfusionRate(0, .millilitresPerHour)).error == .outOfRange)
        #expect(try host.request(.queryVersion).lines.first?.contains("ELITE") == true)
        #expect(host.control("fault safe-mode-expiry on").hasPrefix("error"))
    }

    @Test(arguments: ["occlusion", "stall", "syringe-empty"])
    func motorFaultsStallThePump(fault: String) throws {
        var host = HarvardTestHost()
        _ = try host.request(.setInfusionRate(36, .millilitresPerHour))
        _ = try host.request(.run)
        _ = host.wait(.seconds(10))
        #expect(host.control("fault \(fault) on") == "ok")
        _ = host.wait(.seconds(10))
        let reply = try host.request(.prompt)
        #expect(reply.prompt == .stalled)
        #expect(HarvardReply.observation(status: reply, at: host.time).alarms == [.occlusion])
        #expect(abs(try host.infusedMillilitres() - 0.1) < 1e-4)
        #expect(host.control("fault \(fault) off") == "ok")
        #expect(try host.request(.run).prompt == .infusing)
    }

    @Test func transportFaults() throws {
        var host = HarvardTestHost()
        #expect(host.control("fault no-reply on") == "ok")
        #expect(host.send(.run).isEmpty)
        #expect(host.control("fault no-reply off") == "ok")
        #expect(host.control("fault garbled-reply on") == "ok")
        let garbled = host.send(.queryVersion)
        #expect(garbled.isEmpty, "the prompt was lost, so no reply completes")
        #expect(host.control("fault garbled-reply off") == "ok")
        #expect(host.control("fault slow-reply on") == "ok")
        #expect(host.send(.prompt).isEmpty)
        #expect(host.wait(.milliseconds(1900), step: .milliseconds(100)).isEmpty)
        #expect(host.wait(.milliseconds(200), step: .milliseconds(100)).last?.prompt == .idle)
    }
}
