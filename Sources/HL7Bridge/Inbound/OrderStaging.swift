package import ClinicalExports
package import WireProtocol

/// How an order the bridge read becomes infusiond's `order` request, and how infusiond's answer becomes the
/// order's acknowledgement (docs/INTEGRATION.md "Inbound orders"). Pure: the shell carries the request and
/// the reply.
package enum OrderStaging {
    /// Refuses an order addressed to another point of care than this bridge's (PV1-3.1): one engine may feed
    /// several clinics' hosts, and a chair "1" elsewhere is not this one.
    package static func pointOfCareRefusal(_ order: InfusionOrder, configuration: HL7Configuration) -> OrderRejection? {
        guard let pointOfCare = order.pointOfCare, pointOfCare != configuration.pointOfCare else { return nil }
        return OrderRejection(
            code: .error, hl7ErrorCode: 103, location: ("PV1", 3),
            reason: "point of care \(pointOfCare) is not this host's (\(configuration.pointOfCare))",
            messageControlID: order.messageControlID)
    }

    /// infusiond's `order` request for `order`, correlated by `id`. The weight goes in kg, as the reader
    /// converted it.
    package static func request(for order: InfusionOrder, id: String) -> Request {
        var fields: [String: JSONValue] = [
            "chair": .string(order.chair), "orderID": .string(order.orderID), "patientID": .string(order.patientID),
            "weight": .number(order.weightKilograms), "weightUnit": .string(WireWeightUnit.kg.rawValue),
            "drugName": .string(order.drugName), "concentration": .number(order.concentrationMilligramsPerMillilitre),
            "rate": .number(order.rate), "unit": .string(order.rateUnit.rawValue),
        ]
        if let code = order.drugCode { fields["drugCode"] = .string(code) }
        if let volume = order.volumeToBeInfusedMillilitres { fields["volumeToBeInfused"] = .number(volume) }
        return Request(command: CommandName.order.rawValue, id: .string(id), fields: fields)
    }

    /// The acknowledgement outcome for infusiond's answer: staged when it said ok; otherwise `AE` (or `AR`
    /// when the bridge may not stage orders at all) with an HL7 table 0357 code, the field the refusal points
    /// at, and infusiond's own message as the reason.
    package static func outcome(for order: InfusionOrder, refusal: WireError?) -> OrderAcknowledgement.Outcome {
        guard let refusal else { return .staged }
        let (code, hl7, location): (OrderRejection.Code, Int, (String, Int)?) =
            switch refusal.code {
            case "unknown-chair": (.error, 103, ("PV1", 3))
            case "unknown-drug": (.error, 103, ("RXG", 4))
            case "concentration-not-in-library": (.error, 103, ("RXG", 17))
            case "order-conflict": (.error, 205, ("ORC", 2))
            case "invalid-argument", "bad-request": (.error, 102, nil)
            case "forbidden", "unknown-command": (.reject, 207, nil)
            default: (.error, 207, nil)
            }
        return .refused(
            OrderRejection(
                code: code, hl7ErrorCode: hl7, location: location, reason: "infusiond: \(refusal.message)",
                messageControlID: order.messageControlID))
    }

    /// The outcome when infusiond could not be asked at all: nothing was staged, and the order system may
    /// send the order again.
    package static func unreachable(_ order: InfusionOrder, why: String) -> OrderAcknowledgement.Outcome {
        .refused(
            OrderRejection(
                code: .error, hl7ErrorCode: 207, location: nil, reason: "infusiond could not be asked: \(why)",
                messageControlID: order.messageControlID))
    }
}
