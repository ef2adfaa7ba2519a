import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

/// The pumps' `noise` fault (docs/SIMULATORS.md): random bytes before each reply and between replies at
/// the `noise-rate`, counted in `state`, the replies themselves intact.
@Suite struct PumpNoiseFaultTests {
    /// The `garbage_bytes=` count of a `state` answer.
    private func garbageBytes(_ state: String) throws -> Int {
        let pair = try #require(state.split(separator: " ").first { $0.hasPrefix("garbage_bytes=") })
        return try #require(Int(pair.dropFirst("garbage_bytes=".count)))
    }

    @Test func newEraNoiseIsCountedAndRepliesDecodeOnceItStops() throws {
        var host = NewEraTestHost()
        #expect(host.wait(.seconds(1)).isEmpty)
        #expect(host.control("noise-rate 2000") == "ok")
        #expect(host.control("fault noise on") == "ok")
        #expect(host.control("faults") == "ok noise")
        // Unprompted: with no command sent, everything that comes is noise, 2,000 bytes a second.
        var noise: [UInt8] = []
        for _ in 0..<8 {
            host.time = host.time + .milliseconds(250)
            noise += host.pump.advance(to: host.time)
        }
        #expect(noise.count == 4000)
        #expect(Set(noise).count > 200, "random bytes, not a pattern")
        #expect(try garbageBytes(host.control("state")) == 4000)
        // Before a reply: a burst of 3-24 bytes, then the reply whole at the end.
        let reply = NewEraReply(address: 0, status: .stopped, body: .payload("NE1000V3.928"), framing: .basic).encoded
        let answered = host.pump.receive(NewEraRequest(address: 0, command: .queryVersion).encoded(.basic), at: host.time)
        #expect(answered.count - reply.count >= 3 && answered.count - reply.count <= 24)
        #expect(Array(answered.suffix(reply.count)) == reply)
        #expect(try garbageBytes(host.control("state")) == 4000 + answered.count - reply.count)
        // Off: no more noise, and the host's decoder finds the next reply in the stream.
        _ = host.decoder.decode(noise + answered)
        #expect(host.control("fault noise off") == "ok")
        #expect(host.wait(.seconds(1)).isEmpty)
        let outputs = host.send(.queryVersion)
        #expect(outputs.last == .reply(NewEraReply(address: 0, status: .stopped, body: .payload("NE1000V3.928"), framing: .basic)))
    }

    @Test func harvardNoiseIsCountedAndRepliesDecodeOnceItStops() throws {
        var host = HarvardTestHost()
        #expect(host.control("noise-rate 1000") == "ok")
        #expect(host.control("fault noise on") == "ok")
        var noise: [UInt8] = []
        for _ in 0..<4 {
            host.time = host.time + .milliseconds(500)
            noise += host.pump.advance(to: host.time)
        }
        #expect(noise.count == 2000)
        #expect(try garbageBytes(host.control("state")) == 2000)
        let reply = HarvardReply(address: 0, lines: ["11 ELITE I/W Single 3.0.4"], prompt: .idle).encoded
        let answered = host.pump.receive(HarvardRequest(address: nil, command: .queryVersion).encoded ?? [], at: host.time)
        #expect(Array(answered.suffix(reply.count)) == reply)
        #expect(try garbageBytes(host.control("state")) == 2000 + answered.count - reply.count)
        _ = host.decoder.decode(noise + answered)
        #expect(host.control("fault noise off") == "ok")
        #expect(host.wait(.seconds(1)).isEmpty)
        let version = try host.request(.queryVersion)
        #expect(version.lines.last == "11 ELITE I/W Single 3.0.4" && version.prompt == .idle)
    }

    @Test func theSameSeedMakesTheSameNoiseAndNoiseOffMakesNone() {
        func noise(seed: UInt64) -> [UInt8] {
            var pump = HarvardPumpSimulator(configuration: .init(noiseSeed: seed))
            _ = pump.control(["noise-rate", "500"], at: .zero)
            _ = pump.control(["fault", "noise", "on"], at: .zero)
            return pump.advance(to: .seconds(1))
        }
        #expect(noise(seed: 7) == noise(seed: 7))
        #expect(noise(seed: 7) != noise(seed: 8))
        var quiet = NewEraPumpSimulator()
        _ = quiet.control(["noise-rate", "500"], at: .zero)
        #expect(quiet.advance(to: .seconds(1)).isEmpty)
        #expect(quiet.control(["noise-rate", "-1"], at: .zero).hasPrefix("error usage: noise-rate"))
        #expect(quiet.control(["noise-rate", "2000000"], at: .zero).hasPrefix("error usage: noise-rate"))
    }

    @Test func noiseSwitchedOnAgainBringsNoBacklog() {
        var pump = NewEraPumpSimulator()
        _ = pump.control(["noise-rate", "1000"], at: .zero)
        _ = pump.control(["fault", "noise", "on"], at: .zero)
        #expect(pump.advance(to: .seconds(1)).count == 1000)
        _ = pump.control(["fault", "noise", "off"], at: .seconds(1))
        #expect(pump.advance(to: .seconds(60)).isEmpty)
        _ = pump.control(["fault", "noise", "on"], at: .seconds(60))
        #expect(pump.advance(to: .seconds(60.5)).count == 500)
    }
}
