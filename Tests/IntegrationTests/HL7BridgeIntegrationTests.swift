import Foundation
import Testing

/// infusion-hl7 against the real daemon on simulated devices and an independent engine (python-hl7's MLLP server,
/// every message validated by hl7apy): issue 20's checks for the out direction (docs/INTEGRATION.md).
@Suite("HL7 bridge", .serialized) struct HL7BridgeIntegrationTests {
    /// Short periods and timeouts, so the drills fit a test run; everything from the journal is sent.
    static let configuration = """
        {"controlIDPrefix":"itest","observationPeriodSeconds":1,"firstStart":"journal",
         "delivery":{"acknowledgementTimeoutSeconds":3,"backoffInitialSeconds":0.2,"backoffMaximumSeconds":1},
         "daemonReconnectInitialSeconds":0.1,"daemonReconnectMaximumSeconds":1}
        """

    /// How long the engine stays away in the drill (issue 20 says 30 s; `HL7_TEST_ENGINE_OUTAGE_SECONDS` sets it).
    static let outageSeconds = Double(ProcessInfo.processInfo.environment["HL7_TEST_ENGINE_OUTAGE_SECONDS"] ?? "") ?? 6

    /// Whether an R01 after `seq` carries SpO2 and, when `flowing`, a pump flow above 0.
    static func hasObservation(_ received: [MLLPPeer.Received], after seq: UInt64 = 0, flowing: Bool = true) -> Bool {
        received.contains { message in
            message.type == "R01" && message.seq > seq && !message.observations(150_456).isEmpty
                && (!flowing || (message.observations(157_784).first.flatMap { Double($0[5]) } ?? 0) > 0)
        }
    }

    static func alert(_ received: [MLLPPeer.Received], _ condition: String, _ text: String) -> Bool {
        received.contains { $0.type == "R40" && ($0.field("OBR", 2) ?? "").contains("-\(condition)-") && $0.text.contains(text) }
    }

    @Test func aLiveInfusionAndItsAlarmsReachTheEngineAsValidPCDMessages() throws {
        let scratch = try ScratchDirectory()
        // The engine answers the first message AE, then AR: the bridge sends it again, same control id, until AA.
        let peer = try MLLPPeer(scratch: scratch, answers: "AE,AR")
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, enginePort: peer.port, configuration: Self.configuration)

        let running = try peer.waitUntil("a start and an R01 with SpO2 and the pump's flow") { received in
            Self.hasObservation(received) && received.contains { $0.type == "R42" && $0.text.contains("|1.0.0.2|start|") }
        }
        let first = running[0]
        #expect(running.prefix(3).map(\.ack) == ["AE", "AR", "AA"])
        #expect(running.prefix(3).allSatisfy { $0.controlID == first.controlID && $0.text == first.text }, "resent unchanged")
        let observation = try #require(running.first { Self.hasObservation([$0]) })
        #expect(observation.field("MSH", 21) == "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO")
        #expect(observation.observations(150_456).first?[6].hasPrefix("262688^MDC_DIM_PERCENT^MDC") == true)
        #expect(observation.observations(157_784).first?[6] == "265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM")
        #expect(observation.field("PV1", 3) == "INFUSION^1")
        #expect(observation.field("PID", 3)?.hasPrefix("P-17^^^") == true, "the patient as entered at intake: \(observation.field("PID", 3) ?? "none")")

        // The nurse's scores go out in the next PCD-01, under infusiond's local codes, valid by hl7apy.
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"nausea":1}}"#).ok)
        let scored = try peer.waitUntil("the nurse's scores in an R01") { received in
            received.contains { $0.type == "R01" && $0.text.contains("|SCORE-moaas^moaas score^99INFD|") }
        }
        let scores = try #require(scored.first { $0.type == "R01" && $0.text.contains("SCORE-moaas") })
        #expect(scores.valid, "\(scores.error)")
        #expect(scores.text.contains("|SCORE-nausea^nausea score^99INFD|") && scores.text.contains("|5|{score}^{score}^UCUM|"))

        // An occlusion: raised (the interlock pauses the pump), then cleared once acknowledged with the fault gone.
        try chair.control(chair.pumpPath, "fault occlusion on")
        try peer.waitUntil("the occlusion raised") { Self.alert($0, "pumpOcclusion", "|start|") }
        try chair.control(chair.pumpPath, "fault occlusion off")
        #expect(try client.request(#"{"cmd":"ack","chair":"1"}"#).ok)
        let occlusion = try peer.waitUntil("the occlusion cleared and the pause") { received in
            Self.alert(received, "pumpOcclusion", "|inactive|") && received.contains { $0.type == "R42" && $0.text.contains("|1.0.0.2|pause|") }
        }
        let raised = try #require(occlusion.first { $0.type == "R40" && $0.text.contains("pumpOcclusion") })
        #expect(raised.text.contains("|196940^MDC_EVT_FLUID_LINE_OCCL^MDC|") && raised.text.contains("|PH|"))

        // The monitor unplugged: its link alarm raised, acknowledged while active, cleared when it is back.
        // Only what arrives after the unplug counts: on a loaded machine a late monitor frame can raise (and the
        // acknowledge-all above acknowledge) an earlier link alarm, whose "start" must not stand for this one.
        let beforeUnplug = peer.received.count
        try chair.control(chair.monitorPath, "disconnect")
        try peer.waitUntil("the monitor's link alarm") { Self.alert(Array($0.dropFirst(beforeUnplug)), "monitorLinkLost", "|start|") }
        #expect(try client.request(#"{"cmd":"ack","chair":"1","condition":"monitorLinkLost"}"#).ok)
        let linkLost = Array(try peer.waitUntil("the link alarm acknowledged") {
            Self.alert(Array($0.dropFirst(beforeUnplug)), "monitorLinkLost", "|acknowledged|")
        }.dropFirst(beforeUnplug))
        // Raise, acknowledge and clear of one alarm share its alert instance (OBR-2).
        let acknowledged = try #require(linkLost.first { Self.alert([$0], "monitorLinkLost", "|acknowledged|") })
        let instance = try #require(acknowledged.field("OBR", 2))
        try chair.control(chair.monitorPath, "reconnect")
        let all = try peer.waitUntil("the link alarm cleared") { received in
            received.contains { $0.field("OBR", 2) == instance && $0.text.contains("|inactive|") }
        }
        let phases = all.filter { $0.field("OBR", 2) == instance }.compactMap { $0.observations(68_481).first?[5] }
        #expect(phases.first == "start" && phases.contains("acknowledged") && phases.last == "end", "\(instance): \(phases)")
        Self.expectWellFormedStream(all)
        #expect(bridge.isRunning, "\(bridge.log)")
        client.close()
    }

    /// Engine away, bridge SIGKILLed and restarted, infusiond SIGKILLed and restarted: every alarm transition and
    /// infusion event the daemon's journal holds still reaches the engine, in order, a resent message unchanged.
    @Test func nothingIsLostAcrossOutagesAndRestarts() throws {
        let scratch = try ScratchDirectory()
        let peer = try MLLPPeer(scratch: scratch)
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, enginePort: peer.port, configuration: Self.configuration)
        try peer.waitUntil("the first observations") { Self.hasObservation($0) }

        // The engine goes away while an occlusion is raised, acknowledged and cleared and the infusion resumed.
        peer.kill()
        try chair.control(chair.pumpPath, "fault occlusion on")
        usleep(1_500_000)
        try chair.control(chair.pumpPath, "fault occlusion off")
        #expect(try client.request(#"{"cmd":"ack","chair":"1"}"#).ok)
        usleep(500_000)
        _ = try client.request(#"{"cmd":"resume","chair":"1"}"#)
        let outageEnds = Date().addingTimeInterval(max(0, Self.outageSeconds - 2))
        while Date() < outageEnds { usleep(100_000) }
        try peer.start()
        let caughtUp = try peer.waitUntil("the backlog: the occlusion cleared", timeout: 40) {
            Self.alert($0, "pumpOcclusion", "|inactive|")
        }

        // The bridge dies and comes back.
        let beforeKill = caughtUp.map(\.seq).max() ?? 0
        bridge.kill()
        usleep(500_000)
        try bridge.start()
        try peer.waitUntil("observations after the bridge's restart") { Self.hasObservation($0, after: beforeKill) }

        // infusiond dies and comes back (its numbering continues above 2^32 after a crash).
        try chair.restartDaemon(after: SIGKILL)
        try peer.waitUntil("observations from infusiond's new run", timeout: 40) { Self.hasObservation($0, after: 1 << 32, flowing: false) }

        // Everything the journal holds that gives a message has arrived.
        let expected = try Self.journalMessages(chair)
        #expect(expected.count >= 6, "alarm transitions and infusion events to check: \(expected)")
        let received = try peer.waitUntil("every message the journal's events give", timeout: 30) { received in
            Set(expected).isSubset(of: Set(received.map(\.controlID)))
        }
        Self.expectWellFormedStream(received)
        let resent = Dictionary(grouping: received, by: \.controlID).filter { $0.value.count > 1 }
        for (id, copies) in resent {
            #expect(Set(copies.map(\.text)).count == 1, "\(id) was sent again with other content")
        }
        let log = bridge.log
        if log.contains("cannot replay events") {
            let gaps = (try? String(contentsOfFile: bridge.stateDirectory + "/gaps.log", encoding: .utf8)) ?? ""
            #expect(gaps.contains("gap from="), "a gap logged is also recorded")
        }
        #expect(!FileManager.default.fileExists(atPath: bridge.stateDirectory + "/set-aside.hl7"))
        client.close()
    }

    /// A bridge's first start in `live` mode (the default) sends only what happens from then on, but knows the
    /// sessions already running: their observations carry the session and the pump's program at once.
    @Test func aFirstStartInLiveModeSendsFromNowOnWithTheRunningSessionKnown() throws {
        let scratch = try ScratchDirectory()
        let peer = try MLLPPeer(scratch: scratch)
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let live = Self.configuration.replacingOccurrences(of: #""firstStart":"journal""#, with: #""firstStart":"live""#)
        let bridge = try BridgeProcess(scratch: scratch, socket: chair.daemon.socketPath, enginePort: peer.port, configuration: live)
        let received = try peer.waitUntil("observations of the running infusion") { Self.hasObservation($0) }
        #expect(!received.contains { $0.type == "R42" && $0.text.contains("|1.0.0.2|start|") }, "the start was before the bridge")
        let observation = try #require(received.first { $0.type == "R01" })
        #expect(observation.field("PID", 3)?.hasPrefix("P-17^^^") == true, "the running session's patient, from the journal")
        #expect(observation.text.contains("|ketamine|"), "the program learnt from the journal")
        #expect(bridge.log.contains("first start: sending events after seq"))
        client.close()
    }

    /// A message the engine keeps refusing is set aside, recorded with its reason, and the rest go on.
    @Test func aMessageRefusedPastItsRetriesIsSetAsideAndTheRestFollow() throws {
        let scratch = try ScratchDirectory()
        let peer = try MLLPPeer(scratch: scratch, answers: "AR,AR,AR")
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, enginePort: peer.port, configuration: Self.configuration)
        let received = try peer.waitUntil("the messages after the refused one") { $0.count >= 6 }
        let refused = received[0]
        #expect(received.prefix(3).allSatisfy { $0.controlID == refused.controlID && $0.ack == "AR" })
        #expect(received[3].controlID != refused.controlID && received[3].ack == "AA", "the next message follows")
        let setAside = try String(contentsOfFile: bridge.stateDirectory + "/set-aside.hl7", encoding: .utf8)
        #expect(setAside.contains("# ") && setAside.contains(refused.controlID) && setAside.contains("refused 3 times, last AR"))
        #expect(setAside.contains("\nMSH|"), "the message itself, one segment a line")
        #expect(bridge.log.contains("set aside"))
        client.close()
    }

    /// MLLP is plain text: without TLS the bridge sends to loopback only, and refuses to start for another address
    /// (issue 20 item 4).
    @Test func anEngineOffThisHostIsRefusedWithoutTLS() throws {
        let scratch = try ScratchDirectory()
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a real engine, and not loopback.
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, engineAddress: "192.0.2.1:2575",
            configuration: Self.configuration)
        let deadline = Date().addingTimeInterval(20)
        while !bridge.log.contains("is not a loopback address"), Date() < deadline { usleep(100_000) }
        #expect(bridge.log.contains("192.0.2.1:2575 is not a loopback address"), "\(bridge.log.suffix(2000))")
        #expect(eventually(within: 20) { !bridge.isRunning }, "it refuses to start")
        #expect(!FileManager.default.fileExists(atPath: bridge.stateDirectory + "/cursor.json"), "nothing was sent")
        client.close()
    }

    /// The control ids the journal's alarm and session events give (docs/INTEGRATION.md "What is sent").
    static func journalMessages(_ chair: SimulatedChair) throws -> [String] {
        let client = try chair.client()
        defer { client.close() }
        #expect(try client.request(#"{"cmd":"watch","topics":["alarms","session"],"since":0}"#).ok)
        client.setReceiveTimeout(1.5)
        var ids: [String] = []
        while let line = try? client.readLine() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let name = object["event"] as? String, let seq = (object["seq"] as? NSNumber)?.uint64Value
            else { continue }
            let detail = object.detail
            if name.hasPrefix("alarm."), name != "alarm.audio-pause" {
                ids.append("itest.\(seq).R40")
            } else if name == "session.state", let from = detail["from"] as? String, let to = detail["to"] as? String {
                let infusionEvent =
                    (to == "infusing" && from != "infusing") || (to == "paused" && from == "infusing")
                    || (to == "complete" && (from == "infusing" || from == "paused"))
                if infusionEvent { ids.append("itest.\(seq).R42") }
            }
        }
        return ids
    }

    /// Every message valid by hl7apy, IHE PCD typed, and first sent in the order of the events behind them.
    static func expectWellFormedStream(_ received: [MLLPPeer.Received]) {
        for message in received {
            #expect(message.valid, "\(message.controlID): \(message.error)")
            #expect(["R01", "R40", "R42"].contains(message.type), "\(message.controlID)")
            #expect(message.field("MSH", 10) == message.controlID)
        }
        var seen = Set<String>()
        let firstArrivals = received.filter { seen.insert($0.controlID).inserted }.map(\.seq)
        #expect(firstArrivals == firstArrivals.sorted(), "messages go out in seq order")
    }
}
