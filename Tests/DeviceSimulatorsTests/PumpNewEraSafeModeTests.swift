import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

/// NE-1000 safe mode on the simulator: framing follows the mode, bad packets get `?COM`, and the
/// pump stops and alarms on its own when the host goes silent past the timeout.
@Suite struct PumpNewEraSafeModeTests {
    /// nesp-lib's opening: a safe-framed `0SAF0` to a pump in Basic mode gets a Basic reply.
    @Test func safeFramedSAF0IsAnsweredInBasicFraming() throws {
        var host = NewEraTestHost()
        host.framing = .safe
        let reply = try host.request(.setSafeModeTimeout(0))
        #expect(reply.framing == .basic)
        #expect(reply.encoded == [0x02, 0x30, 0x30, 0x53, 0x03])
    }

    @Test func silenceStopsThePumpAndSendsATUnsolicited() throws {
        var host = NewEraTestHost()
        try host.startInfusion(rate: "36")
        host.framing = .safe
        #expect(try host.request(.setSafeModeTimeout(10)).framing == .safe)
        // Heartbeats every 5 s keep it running.
        for _ in 0..<6 {
            #expect(host.wait(.seconds(5)).isEmpty)
            #expect(try host.request(.status).status == .infusing)
        }
        let unsolicited = host.wait(.seconds(15))
        let alarm = NewEraReply(address: 0, status: .alarm(.safeModeTimeout), framing: .safe)
        #expect(unsolicited == [.reply(alarm)])
        #expect(alarm.encoded == [0x02, 0x09, 0x30, 0x30, 0x41, 0x3F, 0x54, 0x05, 0x40, 0x03])
        // 30 s of heartbeats plus the 10 s timeout at 36 mL/h = 0.4 mL; nothing after the deadline.
        #expect(try host.request(.status).alarm == .safeModeTimeout, "the unsolicited packet did not acknowledge")
        #expect(abs(try host.infusedMillilitres() - 0.4) < 0.001)
        #expect(try host.request(.status).status == .stopped)
    }

    @Test func expirySwitchActsAtOnce() throws {
        var host = NewEraTestHost()
        #expect(host.control("fault safe-mode-expiry on").hasPrefix("error"), "needs safe mode")
        try host.startInfusion(rate: "36")
        host.framing = .safe
        _ = try host.request(.setSafeModeTimeout(60))
        #expect(host.control("fault safe-mode-expiry on") == "ok")
        #expect(host.wait(.milliseconds(10)) == [.reply(NewEraReply(address: 0, status: .alarm(.safeModeTimeout), framing: .safe))])
    }

    @Test func badPacketsAndBasicLinesInSafeMode() throws {
        var host = NewEraTestHost()
        host.framing = .safe
        _ = try host.request(.setSafeModeTimeout(30))
        var damaged = NewEraRequest(address: 0, command: .queryRate).encoded(.safe)
        damaged[damaged.count - 3] ^= 0x01
        #expect(host.sendRaw(damaged) == [.reply(NewEraReply(address: 0, status: .stopped, body: .error(.invalidPacket), framing: .safe))])
        #expect(host.sendRaw(NewEraRequest(address: 0, command: .queryRate).encoded(.basic)).isEmpty)
        // A packet interrupted for more than 0.5 s is dropped; the next one is read.
        let packet = NewEraRequest(address: 0, command: .queryVersion).encoded(.safe)
        #expect(host.sendRaw(Array(packet.prefix(4))).isEmpty)
        host.time = host.time + .milliseconds(600)
        #expect(try host.request(.queryVersion).payload == "NE1000V3.928")
        #expect(try host.request(.setSafeModeTimeout(0)).framing == .basic)
    }

    /// After a power cut with safe mode kept, the pump announces `A?R` on its own.
    @Test func powerCycleInSafeModeAnnouncesReset() throws {
        var host = NewEraTestHost()
        host.framing = .safe
        _ = try host.request(.setSafeModeTimeout(30))
        #expect(host.control("power-cycle") == "ok")
        #expect(host.wait(.milliseconds(10)) == [.reply(NewEraReply(address: 0, status: .alarm(.reset), framing: .safe))])
        // The timer is not armed until the first valid packet: no A?T however long it is silent.
        #expect(host.wait(.seconds(120), step: .seconds(5)).isEmpty)
        #expect(try host.request(.status).alarm == .reset)
    }
}
