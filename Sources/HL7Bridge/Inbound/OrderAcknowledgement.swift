package import ClinicalExports

/// The PCD-03 application acknowledgement, `RRG^O16^RRG_O16`, for one order message: MSA `AA` when the order
/// was staged on its chair, `AE`/`AR` with an ERR segment (HL7 table 0357 code, location, reason) when it was
/// not, and nothing was staged.
package enum OrderAcknowledgement {
    package enum Outcome: Equatable, Sendable {
        case staged
        case refused(OrderRejection)
    }

    /// The acknowledgement of the message `controlID`, itself numbered `acknowledgementID`, sent at `time`.
    package static func message(
        for controlID: String, outcome: Outcome, acknowledgementID: String, time: UTCInstant, configuration: HL7Configuration
    ) -> String {
        let header = HL7Segment(
            "MSH",
            [
                2: "^~\\&", 3: HL7Text.components(configuration.sendingApplication),
                4: HL7Text.components(configuration.sendingFacility), 7: time.hl7, 9: "RRG^O16^RRG_O16",
                10: HL7Text.escape(acknowledgementID), 11: HL7Text.escape(configuration.processingID), 12: "2.5",
            ])
        switch outcome {
        case .staged:
            return HL7Segment.message([header, HL7Segment("MSA", [1: "AA", 2: HL7Text.escape(controlID)])])
        case .refused(let rejection):
            var error: [Int: String] = [
                3: HL7Text.components("\(rejection.hl7ErrorCode)", errorName(rejection.hl7ErrorCode), "HL70357"),
                4: "E", 8: HL7Text.escape(rejection.reason),
            ]
            if let location = rejection.location {
                error[2] = HL7Text.components(location.segment, "1", location.field > 0 ? "\(location.field)" : nil)
            }
            return HL7Segment.message([
                header, HL7Segment("MSA", [1: rejection.code.rawValue, 2: HL7Text.escape(controlID)]),
                HL7Segment("ERR", error),
            ])
        }
    }

    /// HL7 table 0357's names for the codes the bridge uses.
    static func errorName(_ code: Int) -> String {
        switch code {
        case 100: "Segment sequence error"
        case 101: "Required field missing"
        case 102: "Data type error"
        case 103: "Table value not found"
        case 200: "Unsupported message type"
        case 203: "Unsupported version id"
        case 205: "Duplicate key identifier"
        default: "Application internal error"
        }
    }
}
