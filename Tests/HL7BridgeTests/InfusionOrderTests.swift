import ClinicalExports
import Foundation
import HL7Bridge
import InfusionCore
import Testing

/// PCD-03 (IHE PCD PIV) orders as the bridge will read them once infusiond can stage one (docs/INTEGRATION.md
/// "Inbound orders"), and the RRG^O16 that answers each.
@Suite struct InfusionOrderTests {
    /// 0.5 mg/kg/h of ketamine 500 mg in 50 mL, 17.5 mL to be infused, for a 70 kg patient at chair 3. hl7apy
    /// validates it strictly as HL7 v2.5 RGV^O15 (``ordersAndAnswersPassAnIndependentValidator``).
    static let order = [
        #"MSH|^~\&|CPOE|CLINIC|INFUSIOND|CLINIC|20261207093000||RGV^O15^RGV_O15|ORD-0001|P|2.5|||AL|AL"#,
        #"PID|||P-17^^^CLINIC^MR||^^^^^^U"#,
        #"PV1||O|INFUSION^3"#,
        #"ORC|RE|PLACER-42^CPOE||||||||||RN^Lee"#,
        #"RXG|1|||KET^Ketamine|17.5||mL^mL^UCUM||||||||0.5|mg/kg/h^mg/kg/h^UCUM^265650^MDC_DIM_MILLI_G_PER_KG_PER_HR^MDC|500|mg^mg^UCUM|||||50|mL^mL^UCUM"#,
        #"TQ1|1||||||20261207093000"#,
        #"RXR|IV^Intravenous^HL70162"#,
        #"OBX|1|NM|68063^MDC_ATTR_PT_WEIGHT^MDC||70|263875^MDC_DIM_KILO_G^MDC^kg^kg^UCUM|||||F"#,
    ]

    static func text(_ segments: [String]) -> String { segments.joined(separator: "\r") + "\r" }

    static func replacing(_ name: String, with segment: String?) -> String {
        text(order.compactMap { $0.hasPrefix(name + "|") ? segment : $0 })
    }

    @Test func aCompleteOrderIsRead() throws {
        let order = try InfusionOrder.parse(Self.text(Self.order))
        #expect(order.messageControlID == "ORD-0001" && order.orderID == "PLACER-42")
        #expect(order.patientID == "P-17" && order.patientIdentifierAuthority == "CLINIC")
        #expect(order.chair == "3" && order.pointOfCare == "INFUSION")
        #expect(order.drugCode == "KET" && order.drugName == "Ketamine")
        #expect(order.concentrationMilligramsPerMillilitre == 10)
        #expect(order.rate == 0.5 && order.rateUnit == .milligramsPerKilogramPerHour)
        #expect(order.volumeToBeInfusedMillilitres == 17.5)
        #expect(order.weightKilograms == 70)
    }

    @Test func unitsComeAsUCUMOrAsMDCDimensions() throws {
        let pounds = Self.replacing("OBX", with: #"OBX|1|NM|68063^MDC_ATTR_PT_WEIGHT^MDC||154|[lb_av]^pound^UCUM|||||F"#)
        #expect(abs(try InfusionOrder.parse(pounds).weightKilograms - 69.853) < 0.001)
        let flow = Self.text(Self.order).replacingOccurrences(
            of: "|0.5|mg/kg/h^mg/kg/h^UCUM^265650^MDC_DIM_MILLI_G_PER_KG_PER_HR^MDC|",
            with: "|5.25|265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM|")
        let order = try InfusionOrder.parse(flow)
        #expect(order.rate == 5.25 && order.rateUnit == .millilitresPerHour)
    }

    @Test func escapesAreUndone() throws {
        let escaped = Self.replacing("ORC", with: #"ORC|RE|A\F\B\S\C^CPOE"#)
        #expect(try InfusionOrder.parse(escaped).orderID == "A|B^C")
    }

    @Test(arguments: [
        ("PID", nil, "AE", 100, "PID"), ("PV1", "PV1||O|INFUSION", "AE", 101, "PV1"), ("ORC", "ORC|RE", "AE", 101, "ORC"),
        ("OBX", nil, "AE", 101, "OBX"),
        ("OBX", #"OBX|1|NM|68063^MDC_ATTR_PT_WEIGHT^MDC||heavy|kg^kg^UCUM|||||F"#, "AE", 102, "OBX"),
        ("OBX", #"OBX|1|NM|68063^MDC_ATTR_PT_WEIGHT^MDC||70|g^g^UCUM|||||F"#, "AE", 103, "OBX"),
        ("RXG", nil, "AE", 100, "RXG"),
        ("RXG", "RXG|1|||KET^Ketamine|17.5||mL^mL^UCUM||||||||0.5|mg/kg/h^mg/kg/h^UCUM", "AE", 101, "RXG"),
        ("RXG", "RXG|1|||KET^Ketamine|17.5||mL^mL^UCUM||||||||0.5|drops/min|500|mg|||||50|mL", "AE", 103, "RXG"),
    ] as [(String, String?, String, Int, String)])
    func anIncompleteOrderIsAnApplicationError(
        segment: String, replacement: String?, code: String, hl7: Int, location: String
    ) throws {
        let text = Self.replacing(segment, with: replacement)
        #expect(throws: OrderRejection.self) { try InfusionOrder.parse(text) }
        do {
            _ = try InfusionOrder.parse(text)
        } catch {
            #expect(error.code.rawValue == code && error.hl7ErrorCode == hl7 && error.location?.segment == location, "\(error.reason)")
            #expect(error.messageControlID == "ORD-0001")
        }
    }

    @Test func whatIsNotAnOrderIsRejected() throws {
        let cases: [(String, Int)] = [
            (Self.text(Self.order).replacingOccurrences(of: "RGV^O15^RGV_O15", with: "ORU^R01^ORU_R01"), 200),
            (Self.text(Self.order).replacingOccurrences(of: "|P|2.5|", with: "|P|2.3|"), 203),
            ("PID|||x\r", 100),
            (Self.text(Self.order).replacingOccurrences(of: "|ORD-0001|", with: "||"), 101),
        ]
        for (text, hl7) in cases {
            do {
                _ = try InfusionOrder.parse(text)
                Issue.record("accepted: \(text.prefix(60))")
            } catch {
                #expect(error.code == .reject && error.hl7ErrorCode == hl7, "\(error.reason)")
            }
        }
    }

    @Test func everyOutcomeIsAnsweredWithAnRRGO16TheSenderCanRead() throws {
        let time = UTCInstant(millisecondsSinceEpoch: 1_796_635_800_000)
        let staged = OrderAcknowledgement.message(
            for: "ORD-0001", outcome: .staged, acknowledgementID: "h.ack.1", time: time, configuration: HL7Configuration())
        #expect(staged.hasPrefix("MSH|^~\\&|INFUSIOND||||20261207093000.000+0000||RRG^O16^RRG_O16|h.ack.1|P|2.5\r"))
        #expect(try Acknowledgement.parse(staged) == Acknowledgement(code: .applicationAccept, controlID: "ORD-0001", text: ""))

        let missing = Self.replacing("OBX", with: nil)
        guard case .failure(let rejection) = Result(catching: { () throws(OrderRejection) in try InfusionOrder.parse(missing) }) else {
            throw Failure("an order without a weight was read")
        }
        let refused = OrderAcknowledgement.message(
            for: rejection.messageControlID, outcome: .refused(rejection), acknowledgementID: "h.ack.2", time: time,
            configuration: HL7Configuration())
        #expect(refused.contains("\rERR||OBX^1^3|101^Required field missing^HL70357|E||||no patient weight (OBX 68063 MDC_ATTR_PT_WEIGHT)\r"))
        let read = try Acknowledgement.parse(refused)
        #expect(read.code == .applicationError && read.controlID == "ORD-0001")
    }

    /// hl7apy (from .venv-peers, scripts/setup) validates the sample order and both kinds of RRG^O16 strictly.
    @Test func ordersAndAnswersPassAnIndependentValidator() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = root.appendingPathComponent(".venv-peers/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/setup: it installs hl7apy")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pcd03-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let time = UTCInstant(millisecondsSinceEpoch: 1_796_635_800_000)
        let rejection = OrderRejection(
            code: .error, hl7ErrorCode: 101, location: ("OBX", 3), reason: "no patient weight", messageControlID: "ORD-0001")
        let messages = [
            "order": Self.text(Self.order),
            "staged": OrderAcknowledgement.message(
                for: "ORD-0001", outcome: .staged, acknowledgementID: "a1", time: time, configuration: HL7Configuration()),
            "refused": OrderAcknowledgement.message(
                for: "ORD-0001", outcome: .refused(rejection), acknowledgementID: "a2", time: time,
                configuration: HL7Configuration()),
        ]
        var paths: [String: String] = [:]
        for (name, text) in messages {
            let path = directory.appendingPathComponent(name + ".hl7").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths[name] = path
        }
        let output = directory.appendingPathComponent("out.json").path
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["60", python, root.appendingPathComponent("Tests/Fixtures/hl7bridge/validate.py").path]
            + paths.values.sorted()
        process.standardOutput = FileHandle(forWritingAtPath: output)
        try process.run()
        process.waitUntilExit()
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: String])
        for (name, path) in paths { #expect(results[path] == "ok", "\(name): \(results[path] ?? "not checked")") }
    }

    /// Issue 20's check: 10,000 fuzzed inbound messages never crash the reader, and each gets an answer.
    @Test func tenThousandMutatedOrdersNeverTrap() throws {
        var generator = SplitMix(seed: 20)
        let base = Array(Self.text(Self.order).utf8)
        let alphabet = Array("|^~\\&\r\n0123456789.-ABCxyz ".utf8) + [0x0B, 0x1C, 0xFF, 0x00]
        var accepted = 0
        for _ in 0..<10_000 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 8 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
                if bytes.isEmpty { bytes = [0x7C] }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let outcome: OrderAcknowledgement.Outcome
            let controlID: String
            do {
                let order = try InfusionOrder.parse(text)
                #expect(order.rate > 0 && order.weightKilograms > 0 && order.concentrationMilligramsPerMillilitre > 0)
                accepted += 1
                (outcome, controlID) = (.staged, order.messageControlID)
            } catch {
                (outcome, controlID) = (.refused(error), error.messageControlID)
            }
            let answer = OrderAcknowledgement.message(
                for: controlID, outcome: outcome, acknowledgementID: "a", time: UTCInstant(millisecondsSinceEpoch: 0),
                configuration: HL7Configuration())
            #expect(answer.hasPrefix("MSH|"))
        }
        #expect(accepted < 10_000, "mutations are refused as well as read")
    }
}

/// A small deterministic generator, so a failing mutation can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
