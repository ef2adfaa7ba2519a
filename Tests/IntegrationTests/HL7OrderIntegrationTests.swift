import Foundation
import Testing

/// Inbound orders end to end (issue 20 item 3, docs/INTEGRATION.md "Inbound orders"): an independent order system
/// (python-hl7's MLLP client, every answer validated by hl7apy) sends PCD-03 orders to infusion-hl7's listener;
/// infusiond on simulated devices stages the valid one, the nurse accepts it with `infusionctl program --order`,
/// and the simulated pump runs at the ordered rate.
@Suite("HL7 orders", .serialized) struct HL7OrderIntegrationTests {
    /// 0.5 mg/kg over 40 min as 0.75 mg/kg/h of ketamine 10 mg/mL, 3.5 mL to be infused, for P-17 (70 kg) at chair
    /// `chair`: 5.25 mL/h at the pump.
    static func order(
        control: String, orderID: String = "PLACER-42", chair: String = "1", drug: String = "KET^Ketamine",
        weight: String? = "OBX|1|NM|68063^MDC_ATTR_PT_WEIGHT^MDC||70|263875^MDC_DIM_KILO_G^MDC^kg^kg^UCUM|||||F"
    ) -> String {
        [
            "MSH|^~\\&|CPOE|CLINIC|INFUSIOND|CLINIC|20261207093000||RGV^O15^RGV_O15|\(control)|P|2.5|||AL|AL",
            "PID|||P-17^^^CLINIC^MR||^^^^^^U", "PV1||O|INFUSION^\(chair)", "ORC|RE|\(orderID)^CPOE||||||||||RN^Lee",
            "RXG|1|||\(drug)|3.5||mL^mL^UCUM||||||||0.75|mg/kg/h^mg/kg/h^UCUM^265650^MDC_DIM_MILLI_G_PER_KG_PER_HR^MDC|500|mg^mg^UCUM|||||50|mL^mL^UCUM",
            "TQ1|1||||||20261207093000", "RXR|IV^Intravenous^HL70162", weight,
        ].compactMap { $0 }.joined(separator: "\r") + "\r"
    }

    struct Answer {
        var ack: String
        var controlID: String
        var valid: Bool
        var text: String
        var error: String
    }

    /// Sends `messages` over one connection with python-hl7's MLLP client and returns each answer.
    static func send(_ messages: [String], to port: Int, scratch: ScratchDirectory, tls: [String] = []) throws -> [Answer] {
        var paths: [String] = []
        for (index, message) in messages.enumerated() {
            let path = scratch.file("order-\(UUID().uuidString.prefix(6))-\(index).hl7")
            try message.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let python = BuiltProducts.packageRoot.appendingPathComponent(".venv-peers/bin/python").path
        let script = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/hl7bridge/mllp_order_client.py").path
        let outcome = try Shell.run(
            "timeout 90 \(python) \(script) 127.0.0.1 \(port) \(paths.joined(separator: " "))"
                + (tls.isEmpty ? "" : " --tls " + tls.joined(separator: " ")), timeout: 100)
        let list = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]], "\(outcome.stderr)")
        return list.map {
            Answer(
                ack: $0["ack"] as? String ?? "", controlID: $0["controlID"] as? String ?? "", valid: $0["valid"] as? Bool ?? false,
                text: $0["text"] as? String ?? "", error: $0["error"] as? String ?? "")
        }
    }

    /// A chair on a simulated New Era pump and Masimo oximeter with no patient yet, its bridge listening for
    /// orders on a free loopback port, and an engine for what goes out.
    static func chairWithListener(scratch: ScratchDirectory) throws -> (SimulatedChair, BridgeProcess, MLLPPeer, Int) {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#)
        let peer = try MLLPPeer(scratch: scratch)
        let port = try MLLPPeer.freePort()
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, engineAddress: "127.0.0.1:\(peer.port)",
            configuration: HL7BridgeIntegrationTests.configuration, extraArguments: ["--listen", "127.0.0.1:\(port)"])
        let deadline = Date().addingTimeInterval(20)
        while !bridge.log.contains("infusion-hl7 starting"), Date() < deadline { usleep(50_000) }
        return (chair, bridge, peer, port)
    }

    /// The pump simulator's rate in mL/h (its `state` line gives the NE-1000's own units).
    static func pumpRate(_ chair: SimulatedChair) throws -> Double? {
        guard let text = try chair.simulatorState(chair.pumpPath)["rate"] else { return nil }
        let number = Double(text.prefix { $0.isNumber || $0 == "." }) ?? 0
        switch text.suffix(2) {
        case "MH": return number
        case "UH": return number / 1000
        case "MM": return number * 60
        case "UM": return number * 0.06
        default: return nil
        }
    }

    @Test func anOrderIsStagedAcceptedAtTheChairAndThePumpRunsAtItsRate() throws {
        let scratch = try ScratchDirectory()
        let (chair, bridge, _, port) = try Self.chairWithListener(scratch: scratch)
        var client = try chair.client()
        defer { client.close() }

        let answers = try Self.send(
            [
                Self.order(control: "ORD-1"),
                Self.order(control: "ORD-2"),  // the order system resends it: one order
                Self.order(control: "ORD-3", orderID: "PLACER-43", chair: "9"),
                Self.order(control: "ORD-4", orderID: "PLACER-44", drug: "PROP^Propofol"),
                Self.order(control: "ORD-5", orderID: "PLACER-45", weight: nil),
                "MSH|^~\\&|CPOE|CLINIC|||20261207093000||ADT^A01|ORD-6|P|2.5\rPID|||P-17\r",
            ], to: port, scratch: scratch)
        #expect(answers.map(\.ack) == ["AA", "AA", "AE", "AE", "AE", "AR"], "\(answers.map(\.error)) \(bridge.log.suffix(3000))")
        #expect(answers.map(\.controlID) == ["ORD-1", "ORD-2", "ORD-3", "ORD-4", "ORD-5", "ORD-6"])
        for answer in answers {
            #expect(answer.valid, "hl7apy: \(answer.error)\n\(answer.text)")
            #expect(answer.text.hasPrefix("MSH|^~\\&|INFUSIOND|") && answer.text.contains("|RRG^O16^RRG_O16|"))
        }
        #expect(answers[2].text.contains("unknown-chair") || answers[2].text.contains("no chair '9'"), "\(answers[2].text)")
        #expect(answers[3].text.contains("has no entry for Propofol"), "\(answers[3].text)")
        #expect(answers[4].text.contains("no patient weight"), "\(answers[4].text)")

        // One order staged, whatever else arrived.
        let pending = try #require(try chair.chairStatus(client)["pendingOrder"] as? [String: Any])
        #expect(pending["orderID"] as? String == "PLACER-42" && pending["patientID"] as? String == "P-17")
        #expect(pending["concentration"] as? Double == 10 && pending["volumeToBeInfused"] as? Double == 3.5)
        let events = try Self.orderEvents(chair)
        #expect(events.map { $0["kind"] as? String } == ["staged"], "\(events)")

        // infusiond crashes and comes back: the pending order is still there (the chair's checkpoint keeps it).
        client.close()
        try chair.restartDaemon(after: SIGKILL)
        client = try chair.client()
        let restored = try chair.chairStatus(client)["pendingOrder"] as? [String: Any]
        #expect(restored?["orderID"] as? String == "PLACER-42", "after a restart: \(String(describing: restored))")

        // Another patient in the chair: the order is refused for them and stays pending.
        let ctl = BuiltProducts.path("infusionctl")
        #expect(try client.request(Self.intake(patient: "P-99")).ok)
        let wrong = try Shell.run("\(ctl) program --chair 1 --order PLACER-42 --socket \(chair.daemon.socketPath)")
        #expect(wrong.status != 0 && wrong.stderr.contains("order-patient-mismatch"), "\(wrong.stdout) \(wrong.stderr)")
        #expect(try chair.chairStatus(client)["pendingOrder"] != nil)

        // The order's patient: the nurse accepts it, starts, and the pump runs at the ordered 5.25 mL/h.
        #expect(try client.request(Self.intake(patient: "P-17")).ok)
        let accepted = try Shell.run("\(ctl) program --chair 1 --order PLACER-42 --socket \(chair.daemon.socketPath)")
        #expect(accepted.status == 0 && accepted.stdout.contains("chair 1: programmed"), "\(accepted.stdout) \(accepted.stderr)")
        let status = try chair.chairStatus(client)
        #expect(status["pendingOrder"] == nil && status["concentrationMilligramsPerMillilitre"] as? Double == 10)
        #expect(abs((status["programmedMilligrams"] as? Double ?? 0) - 35) < 1e-6, "3.5 mL of 10 mg/mL")
        let deadline = Date().addingTimeInterval(30)
        var started = try client.request(#"{"cmd":"start","chair":"1"}"#)
        while !started.ok, Date() < deadline {
            usleep(200_000)
            started = try client.request(#"{"cmd":"start","chair":"1"}"#)
        }
        #expect(started.ok, "\(started)")
        #expect(try eventually(within: 20) { try chair.simulatorState(chair.pumpPath)["status"] == "I" })
        let rate = try Self.pumpRate(chair)
        #expect(rate.map { abs($0 - 5.25) < 0.01 } == true, "the pump runs at \(String(describing: rate)) mL/h")
        #expect(try Self.orderEvents(chair).map { $0["kind"] as? String } == ["staged", "accepted"])
        #expect(bridge.isRunning)
    }

    @Test func theListenerTakesLoopbackOnly() throws {
        let scratch = try ScratchDirectory()
        let chair = try SimulatedChair()
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): not loopback.
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, engineAddress: "127.0.0.1:9",
            configuration: HL7BridgeIntegrationTests.configuration, extraArguments: ["--listen", "192.0.2.1:2575"])
        #expect(eventually(within: 20) { !bridge.isRunning }, "it refuses to start")
        #expect(bridge.log.contains("is not a loopback address"), "\(bridge.log.suffix(1000))")
    }

    static func intake(patient: String) -> String {
        #"{"cmd":"intake","chair":"1","patientID":"\#(patient)","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#
    }

    /// Chair 1's `order` events in the journal, their data.
    static func orderEvents(_ chair: SimulatedChair) throws -> [[String: Any]] {
        let client = try chair.client()
        defer { client.close() }
        #expect(try client.request(#"{"cmd":"watch","topics":["session"],"since":0}"#).ok)
        client.setReceiveTimeout(1.5)
        var events: [[String: Any]] = []
        while let line = try? client.readLine() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "order"
            else { continue }
            events.append(object.detail)
        }
        return events
    }
}
