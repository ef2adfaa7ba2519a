import ClinicalExports
import HL7Bridge
import Testing
import WireProtocol

/// An order the bridge read becomes infusiond's `order` request, and infusiond's answer becomes the RRG^O16
/// (docs/INTEGRATION.md "Inbound orders").
@Suite struct OrderStagingTests {
    static func sample() throws -> InfusionOrder { try InfusionOrder.parse(InfusionOrderTests.text(InfusionOrderTests.order)) }

    @Test func theRequestCarriesEveryValueOfTheOrderInTheProtocolsUnits() throws {
        let request = OrderStaging.request(for: try Self.sample(), id: "hl7-ORD-0001")
        #expect(request.command == "order" && request.id == .string("hl7-ORD-0001"))
        #expect(try request.string("chair") == "3" && request.string("orderID") == "PLACER-42")
        #expect(try request.string("patientID") == "P-17")
        #expect(try request.number("weight") == 70 && request.string("weightUnit") == "kg")
        #expect(try request.string("drugName") == "Ketamine" && request.string("drugCode") == "KET")
        #expect(try request.number("concentration") == 10)
        #expect(try request.number("rate") == 0.5 && request.string("unit") == "mg/kg/h")
        #expect(try request.number("volumeToBeInfused") == 17.5)
    }

    @Test func anOrderForAnotherPointOfCareIsNotThisHostsToStage() throws {
        var configuration = HL7Configuration()
        #expect(OrderStaging.pointOfCareRefusal(try Self.sample(), configuration: configuration) == nil)
        configuration.pointOfCare = "ROOM2"
        let refusal = try #require(OrderStaging.pointOfCareRefusal(try Self.sample(), configuration: configuration))
        #expect(refusal.code == .error && refusal.hl7ErrorCode == 103 && refusal.location?.segment == "PV1")
    }

    @Test(arguments: [
        ("unknown-chair", "AE", 103, "PV1"), ("unknown-drug", "AE", 103, "RXG"), ("concentration-not-in-library", "AE", 103, "RXG"),
        ("order-conflict", "AE", 205, "ORC"), ("hard-limit", "AE", 207, nil), ("invalid-argument", "AE", 102, nil),
        ("forbidden", "AR", 207, nil),
    ] as [(String, String, Int, String?)])
    func infusiondsRefusalBecomesAnErrorWithItsReason(code: String, answer: String, hl7: Int, segment: String?) throws {
        let order = try Self.sample()
        let outcome = OrderStaging.outcome(for: order, refusal: WireError(code: code, message: "because"))
        guard case .refused(let rejection) = outcome else { throw Failure("\(code) was taken as staged") }
        #expect(rejection.code.rawValue == answer && rejection.hl7ErrorCode == hl7 && rejection.location?.segment == segment)
        #expect(rejection.reason == "infusiond: because" && rejection.messageControlID == "ORD-0001")
        let message = OrderAcknowledgement.message(
            for: order.messageControlID, outcome: outcome, acknowledgementID: "a", time: UTCInstant(millisecondsSinceEpoch: 0),
            configuration: HL7Configuration())
        #expect(message.contains("\rMSA|\(answer)|ORD-0001\r") && message.contains("infusiond: because"))
    }

    @Test func aStagedOrderIsAccepted() throws {
        #expect(OrderStaging.outcome(for: try Self.sample(), refusal: nil) == .staged)
        guard case .refused(let rejection) = OrderStaging.unreachable(try Self.sample(), why: "connection refused") else {
            throw Failure("an order infusiond never saw was taken as staged")
        }
        #expect(rejection.code == .error && rejection.reason.contains("connection refused"))
    }
}
