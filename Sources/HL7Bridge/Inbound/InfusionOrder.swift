package import InfusionCore

/// An infusion order from the clinic's order system, as IHE PCD PIV's PCD-03 carries it (`RGV^O15`), read
/// into what infusiond's program needs. Reading it decides nothing clinical: the drug library's limits, the
/// chair's patient and the nurse's confirmation are infusiond's (docs/INTEGRATION.md "Inbound orders").
package struct InfusionOrder: Equatable, Sendable {
    /// MSH-10 of the order message, echoed in MSA-2.
    package var messageControlID: String
    /// ORC-2: the placer's order number.
    package var orderID: String
    /// PID-3.1 and PID-3.4.
    package var patientID: String
    package var patientIdentifierAuthority: String?
    /// The chair: PV1-3.2 (PV1-3.1 the point of care), as the bridge's outbound messages name it.
    package var chair: String
    package var pointOfCare: String?
    /// Patient weight in kg (OBX 68063 MDC_ATTR_PT_WEIGHT in kg or lb).
    package var weightKilograms: Double
    /// RXG-4: the drug's code and name.
    package var drugCode: String?
    package var drugName: String
    /// RXG-17/RXG-18 over RXG-23/RXG-24: drug amount (mg) per volume (mL).
    package var concentrationMilligramsPerMillilitre: Double
    /// RXG-15/RXG-16: the rate and its unit.
    package var rate: Double
    package var rateUnit: DoseRateUnit
    /// RXG-5/RXG-7: the volume to be infused, mL, when given.
    package var volumeToBeInfusedMillilitres: Double?
}

/// Why an order message was not taken: the acknowledgement code, the HL7 error code (table 0357), where
/// (segment, field) and a reason for people.
package struct OrderRejection: Error, Equatable, Sendable {
    package enum Code: String, Sendable {
        /// AR: the message is not one the bridge takes at all (type, version, processing id, unparseable).
        case reject = "AR"
        /// AE: an order message with something missing or wrong in it.
        case error = "AE"
    }

    package var code: Code
    /// HL7 table 0357: 100 segment sequence error, 101 required field missing, 102 data type error,
    /// 103 table value not found, 200 unsupported message type, 203 unsupported version id, 207 application
    /// internal error.
    package var hl7ErrorCode: Int
    package var location: (segment: String, field: Int)?
    package var reason: String
    /// MSH-10 when it could be read, for MSA-2.
    package var messageControlID: String

    package init(
        code: Code, hl7ErrorCode: Int, location: (segment: String, field: Int)?, reason: String, messageControlID: String
    ) {
        self.code = code
        self.hl7ErrorCode = hl7ErrorCode
        self.location = location
        self.reason = reason
        self.messageControlID = messageControlID
    }

    package static func == (lhs: OrderRejection, rhs: OrderRejection) -> Bool {
        lhs.code == rhs.code && lhs.hl7ErrorCode == rhs.hl7ErrorCode && lhs.location?.segment == rhs.location?.segment
            && lhs.location?.field == rhs.location?.field && lhs.reason == rhs.reason
            && lhs.messageControlID == rhs.messageControlID
    }
}

extension InfusionOrder {
    /// OBX-3 of the patient's weight: 68063 MDC_ATTR_PT_WEIGHT (docs/CLINICAL-BASIS.md §4.1).
    static let weightCode = "68063"

    /// Reads an `RGV^O15` message. Throws an ``OrderRejection`` saying why it cannot be an order.
    package static func parse(_ text: String) throws(OrderRejection) -> InfusionOrder {
        let message: HL7Message
        do {
            message = try HL7Message(text)
        } catch {
            throw OrderRejection(code: .reject, hl7ErrorCode: 100, location: nil, reason: error.description, messageControlID: "")
        }
        let header = message.segments[0]
        let controlID = message.text(header, 10) ?? ""
        func reject(_ code: OrderRejection.Code, _ hl7: Int, _ segment: String, _ field: Int, _ reason: String) -> OrderRejection {
            OrderRejection(code: code, hl7ErrorCode: hl7, location: (segment, field), reason: reason, messageControlID: controlID)
        }
        guard !controlID.isEmpty else { throw reject(.reject, 101, "MSH", 10, "no message control id") }
        let type = message.components(header, 9)
        guard type.count >= 2, type[0] == "RGV", type[1] == "O15" else {
            throw reject(.reject, 200, "MSH", 9, "not an RGV^O15 order: \(type.joined(separator: "^"))")
        }
        guard let version = message.text(header, 12), version.hasPrefix("2."),
            let minor = Int(version.dropFirst(2).prefix { $0.isNumber }), minor >= 5
        else { throw reject(.reject, 203, "MSH", 12, "HL7 version 2.5 or later is needed") }

        guard let pid = message.all("PID").first else { throw reject(.error, 100, "PID", 0, "no PID segment") }
        guard let patientID = message.text(pid, 3) else { throw reject(.error, 101, "PID", 3, "no patient identifier") }
        guard let pv1 = message.all("PV1").first, let chair = message.text(pv1, 3, 2) else {
            throw reject(.error, 101, "PV1", 3, "no chair (PV1-3.2) to stage the order on")
        }
        guard let orc = message.all("ORC").first, let orderID = message.text(orc, 2) else {
            throw reject(.error, 101, "ORC", 2, "no placer order number")
        }
        let gives = message.all("RXG")
        guard gives.count == 1, let rxg = gives.first else {
            throw reject(.error, 100, "RXG", 0, gives.isEmpty ? "no RXG segment" : "more than one RXG: one program per order")
        }
        let drugCode = message.text(rxg, 4, 1)
        guard let drugName = message.text(rxg, 4, 2) ?? drugCode else { throw reject(.error, 101, "RXG", 4, "no drug") }

        // Concentration: drug amount (RXG-17, mg) per volume (RXG-23, mL).
        guard let amountText = message.text(rxg, 17), let amount = Double(amountText), amount > 0, amount.isFinite else {
            throw reject(.error, 101, "RXG", 17, "no drug amount (give strength)")
        }
        guard Self.unit(message.components(rxg, 18)) == "mg" else { throw reject(.error, 103, "RXG", 18, "drug amount must be in mg") }
        guard let volumeText = message.text(rxg, 23), let volume = Double(volumeText), volume > 0, volume.isFinite else {
            throw reject(.error, 101, "RXG", 23, "no volume for the drug amount (give drug strength volume)")
        }
        guard Self.unit(message.components(rxg, 24)) == "mL" else { throw reject(.error, 103, "RXG", 24, "volume must be in mL") }

        guard let rateText = message.text(rxg, 15), let rate = Double(rateText), rate > 0, rate.isFinite else {
            throw reject(.error, 101, "RXG", 15, "no rate (give rate amount)")
        }
        guard let rateUnit = Self.rateUnit(message.components(rxg, 16)) else {
            throw reject(.error, 103, "RXG", 16, "rate unit must be mL/h, mg/h or mg/kg/h")
        }
        var toBeInfused: Double?
        if let vtbiText = message.text(rxg, 5) {
            guard let vtbi = Double(vtbiText), vtbi > 0, vtbi.isFinite, Self.unit(message.components(rxg, 7)) == "mL" else {
                throw reject(.error, 102, "RXG", 5, "volume to be infused must be a positive number of mL")
            }
            toBeInfused = vtbi
        }

        guard let weightRow = message.all("OBX").first(where: { message.text($0, 3, 1) == Self.weightCode }) else {
            throw reject(.error, 101, "OBX", 3, "no patient weight (OBX 68063 MDC_ATTR_PT_WEIGHT)")
        }
        guard let weightText = message.text(weightRow, 5), let weight = Double(weightText), weight > 0, weight.isFinite else {
            throw reject(.error, 102, "OBX", 5, "the patient weight is not a positive number")
        }
        let kilograms: Double
        switch Self.unit(message.components(weightRow, 6)) {
        case "kg": kilograms = weight
        case "[lb_av]": kilograms = weight * 0.45359237
        default: throw reject(.error, 103, "OBX", 6, "the patient weight must be in kg or [lb_av]")
        }
        return InfusionOrder(
            messageControlID: controlID, orderID: orderID, patientID: patientID,
            patientIdentifierAuthority: message.text(pid, 3, 4), chair: chair, pointOfCare: message.text(pv1, 3, 1),
            weightKilograms: kilograms, drugCode: drugName == drugCode ? nil : drugCode, drugName: drugName,
            concentrationMilligramsPerMillilitre: amount / volume, rate: rate, rateUnit: rateUnit,
            volumeToBeInfusedMillilitres: toBeInfused)
    }

    /// A unit CWE as UCUM: the first component, or the alternate (4th) when the primary is an MDC code, mapped
    /// from the MDC dimension codes the bridge knows.
    static func unit(_ components: [String]) -> String? {
        // Only the dimension codes docs/CLINICAL-BASIS.md §4.1 gives; milligrams come as UCUM `mg`.
        let mdc: [String: String] = [
            "263762": "mL", "263875": "kg", "265266": "mL/h", "265522": "mg/h", "265650": "mg/kg/h",
        ]
        for (index, component) in components.enumerated() where !component.isEmpty {
            if let ucum = mdc[component] { return ucum }
            // `code^text^system`: a UCUM code is the first component when the system (3rd) is UCUM or absent.
            if index == 0 || index == 3 {
                let system = components.count > index + 2 ? components[index + 2] : ""
                if system.isEmpty || system == "UCUM" { return component }
            }
        }
        return nil
    }

    static func rateUnit(_ components: [String]) -> DoseRateUnit? {
        switch unit(components) {
        case "mL/h": .millilitresPerHour
        case "mg/h": .milligramsPerHour
        case "mg/kg/h": .milligramsPerKilogramPerHour
        default: nil
        }
    }
}
