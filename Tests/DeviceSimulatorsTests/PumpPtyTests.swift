import DeviceProtocols
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `infusion-sim pump` behind a real pty, driven by a termios client and the codec,
/// with fault switches flipped over the control socket while it runs.
@Suite(.serialized) struct PumpPtyTests {
    /// Sends `command` and decodes the one reply (or nothing within `limit`).
    /// Every reply that arrives for `command`, with any that came late for an earlier exchange first.
    private func exchangeReplies(
        _ port: SerialPortClient,
        _ command: NewEraCommand,
        within limit: Duration = .seconds(5)
    ) -> [NewEraReply] {
        port.send(NewEraRequest(address: 0, command: command).encoded(.basic))
        var replies: [NewEraReply] = []
        _ = port.receive(within: limit) { bytes in
            var fresh = NewEraReplyDecoder()
            replies = fresh.decode(bytes).compactMap { if case .reply(let reply) = $0 { reply } else { nil } }
            return !replies.isEmpty
        }
        return replies
    }

    /// The answer to `command`: the newest reply received.
    private func exchange(
        _ port: SerialPortClient,
        _ command: NewEraCommand,
        within limit: Duration = .seconds(5)
    ) -> NewEraReply? {
        exchangeReplies(port, command, within: limit).last
    }

    @Test func newEraSessionAndFaultsOverAPty() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera", "--time-scale", "60"], linkPath: link)
        let port = try SerialPortClient(path: link)
        let diameter = try #require(NewEraNumber(text: "26.59"))
        let rate = try #require(NewEraNumber(text: "60"))
        #expect(exchange(port, .setDiameter(diameter))?.status == .stopped)
        #expect(exchange(port, .setRate(rate, .millilitresPerHour))?.status == .stopped)
        #expect(exchange(port, .run(phase: nil))?.status == .infusing)
        #expect(PumpProcessSupport.waitFor {
            let reply = exchange(port, .queryDispensed)
            return (reply?.payload.flatMap(NewEraReplyValues.dispensed)?.infused ?? 0) > 0.01
        })
        #expect(try simulator.control("fault occlusion on") == "ok")
        #expect(PumpProcessSupport.waitFor { exchange(port, .status)?.alarm == .stalled })
        #expect(exchange(port, .status)?.status == .stopped)
        #expect(try simulator.control("fault occlusion off") == "ok")

        #expect(try simulator.control("fault no-reply on") == "ok")
        #expect(exchange(port, .status, within: .milliseconds(300)) == nil)
        #expect(try simulator.control("fault no-reply off") == "ok")
        #expect(exchange(port, .status)?.status == .stopped)
    }

    /// The remaining switches through the binary: what a driver on the serial port sees.
    @Test func transportAndMotorFaultsOverAPty() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera", "--time-scale", "10"], linkPath: link)
        let port = try SerialPortClient(path: link)
        let rate = try #require(NewEraNumber(text: "60"))
        #expect(exchange(port, .setRate(rate, .millilitresPerHour))?.error == nil)

        #expect(try simulator.control("fault garbled-reply on") == "ok")
        port.send(NewEraRequest(address: 0, command: .queryVersion).encoded(.basic))
        // The VER reply is 17 bytes; garbled, it loses its ETX.
        guard case .bytes(let garbled) = port.receive(until: { $0.count >= 16 }) else {
            Issue.record("port gone")
            return
        }
        var decoder = NewEraReplyDecoder()
        #expect(garbled.count == 16 && !decoder.decode(garbled + [0x02]).contains { if case .reply = $0 { true } else { false } })
        #expect(try simulator.control("fault garbled-reply off") == "ok")

        // 2 s simulated at scale 10: the reply comes, late.
        #expect(try simulator.control("fault slow-reply on") == "ok")
        #expect(exchange(port, .status, within: .seconds(15))?.status == .stopped)
        #expect(try simulator.control("fault slow-reply off") == "ok")

        for fault in ["stall", "syringe-empty"] {
            #expect(exchange(port, .run(phase: nil))?.status == .infusing)
            #expect(try simulator.control("fault \(fault) on") == "ok")
            // The pump reports an alarm once; on a loaded machine that reply may come late, after its exchange
            // gave up, so every reply received counts, not only the newest.
            #expect(PumpProcessSupport.waitFor(.seconds(30)) { exchangeReplies(port, .status).contains { $0.alarm == .stalled } })
            #expect(try simulator.control("fault \(fault) off") == "ok")
        }
        #expect(try simulator.control("power-cycle") == "ok")
        #expect(exchange(port, .status)?.alarm == .reset)
        #expect(try simulator.control("fault safe-mode-expiry on").hasPrefix("error"))
        #expect(try simulator.control("fault bogus on").hasPrefix("error"))
    }

    /// Safe mode over the pty: the pump answers in safe framing, then stops and sends `A?T` on its
    /// own when the host goes silent past the timeout (5 s simulated, 0.5 s real at scale 10).
    @Test func safeModeExpiryOverAPty() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera", "--time-scale", "10"], linkPath: link)
        let port = try SerialPortClient(path: link)
        let rate = try #require(NewEraNumber(text: "60"))
        let safeStopped = NewEraReply(address: 0, status: .stopped, framing: .safe).encoded
        port.send(NewEraRequest(address: 0, command: .setRate(rate, .millilitresPerHour)).encoded(.safe))
        #expect(port.receive { $0.count >= 5 } == .bytes([0x02, 0x30, 0x30, 0x53, 0x03]))
        port.send(NewEraRequest(address: 0, command: .setSafeModeTimeout(5)).encoded(.safe))
        #expect(port.receive { $0.count >= safeStopped.count } == .bytes(safeStopped))
        port.send(NewEraRequest(address: 0, command: .run(phase: nil)).encoded(.safe))
        let infusing = NewEraReply(address: 0, status: .infusing, framing: .safe).encoded
        #expect(port.receive { $0.count >= infusing.count } == .bytes(infusing))
        let alarm: [UInt8] = [0x02, 0x09, 0x30, 0x30, 0x41, 0x3F, 0x54, 0x05, 0x40, 0x03]
        #expect(port.receive(within: .seconds(10)) { $0.count >= alarm.count } == .bytes(alarm))
        #expect(try simulator.control("state").contains("alarm=A?T"), "the pump stopped itself and holds the alarm")
    }

    /// Disconnect closes the pty: the open port fails with EIO and the link disappears; reconnect
    /// brings a new pty at the same path.
    @Test func disconnectAndReconnect() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera"], linkPath: link)
        let port = try SerialPortClient(path: link)
        #expect(exchange(port, .queryVersion)?.payload == "NE1000V3.928")
        #expect(try simulator.control("fault disconnect on") == "ok")
        #expect(port.receive(within: .seconds(5)) { _ in false } == .gone)
        #expect(access(link, F_OK) != 0, "the link is gone, as a pulled adapter's device node")
        #expect(try simulator.control("faults") == "ok disconnect")
        #expect(try simulator.control("fault disconnect off").hasPrefix("ok /dev/pts/"))
        let reopened = try SerialPortClient(path: link)
        #expect(exchange(reopened, .status)?.status == .stopped)
    }

    /// The host closing its port is not fatal: the simulator keeps serving the next opener.
    @Test func hostCloseAndReopen() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera", "--address", "3"], linkPath: link)
        do {
            let port = try SerialPortClient(path: link)
            port.send(Array("3VER\r".utf8))
            #expect(port.receive { $0.last == 0x03 } == .bytes(Array("\u{02}03SNE1000V3.928\u{03}".utf8)))
        }
        let port = try SerialPortClient(path: link)
        port.send(Array("3DIS\r".utf8))
        #expect(port.receive { $0.last == 0x03 } == .bytes(Array("\u{02}03SI0.000W0.000ML\u{03}".utf8)))
        #expect(try simulator.control("state").contains("address=3"))
    }

    /// The reference's Harvard example bytes over a pty.
    @Test func harvardOverAPty() throws {
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyHARVARD"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "harvard", "--time-scale", "60"], linkPath: link)
        let port = try SerialPortClient(path: link)
        port.send(Array("irate 5 ml/h\r".utf8))
        #expect(port.receive { $0.count >= 5 } == .bytes(Array("\r\n00:".utf8)))
        port.send(Array("run\r".utf8))
        #expect(port.receive { $0.count >= 5 } == .bytes(Array("\r\n00>".utf8)))
        #expect(try simulator.control("fault stall on") == "ok")
        #expect(PumpProcessSupport.waitFor {
            port.send(Array("\r".utf8))
            return port.receive(within: .milliseconds(200)) { $0.last == UInt8(ascii: "*") } == .bytes(Array("\r\n00*".utf8))
        })
    }
}
