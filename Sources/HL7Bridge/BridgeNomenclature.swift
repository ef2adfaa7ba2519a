package import ClinicalExports

/// The terms the live messages use beyond the session exports (docs/CLINICAL-BASIS.md §4.1): IHE PCD
/// IPEC's message type, profile and event identifiers, the drug-name label, and infusiond's local codes.
package enum BridgeNomenclature {
    /// PCD-10 rides on ORU^R01's grammar with the R42 trigger (IHE CP-PCD-062).
    package static let ipecMessageType = ["ORU", "R42", "ORU_R01"]
    package static let ipecProfile = ["IHE_PCD_010", "IHE PCD", "1.3.6.1.4.1.19376.1.6.4.10", "ISO"]
    /// The observation that carries the event's identifier (its own code is 0 in the IPEC supplement).
    package static let eventCondition = MDCCode(0, "MDC_ATTR_EVT_COND")
    package static let deliveryStart = MDCCode(197_288, "MDC_EVT_PUMP_DELIV_START")
    /// Stop and complete have no assigned code in IPEC Rev 1.5 ("pending", 0): receivers match the name.
    package static let deliveryStop = MDCCode(0, "MDC_EVT_PUMP_DELIV_STOP")
    package static let deliveryComplete = MDCCode(0, "MDC_EVT_PUMP_DELIV_COMP")
    package static let drugNameLabel = MDCCode(184_514, "MDC_DRUG_NAME_LABEL")
    /// infusiond's own name for the event and the daemon's reason, under a local coding system (HL7's
    /// `99zzz` form), so an engine can tell a resume from a start or a pause from a stop.
    package static let localEventKind = "EVENT^infusiond infusion event^99INFD"
    package static let localEventReason = "REASON^infusiond transition reason^99INFD"
    /// A nurse's score on observation scale `scale` (infusiond's scale id, docs/CLINICAL-BASIS.md §8), under
    /// the same local coding system: `SCORE-moaas^moaas score^99INFD`.
    package static func scoreCode(_ scale: String) -> String {
        HL7Text.components("SCORE-\(scale)", "\(scale) score", "99INFD")
    }
    /// A score has no unit: UCUM's annotation `{score}`.
    package static let scoreUnit = "{score}^{score}^UCUM"
}

/// The infusion events the bridge reports over PCD-10, named as infusiond names them.
package enum InfusionEvent: String, Codable, Equatable, Sendable {
    case start
    case resume
    case rateChange = "rate-change"
    case pause
    case stop
    case complete

    /// The IPEC event identifier: delivery starts (a start, a resume, a new rate), stops, or completes.
    package var ipecEvent: MDCCode {
        switch self {
        case .start, .resume, .rateChange: BridgeNomenclature.deliveryStart
        case .pause, .stop: BridgeNomenclature.deliveryStop
        case .complete: BridgeNomenclature.deliveryComplete
        }
    }
}

/// One HL7 message ready to send, tied to the event whose handling produced it.
package struct OutboundMessage: Equatable, Sendable {
    package enum Kind: String, Codable, Equatable, Sendable {
        /// PCD-01 ORU^R01.
        case observation = "R01"
        /// PCD-04 ORU^R40.
        case alert = "R40"
        /// PCD-10 ORU^R42.
        case infusionEvent = "R42"
    }

    package var kind: Kind
    /// The `seq` of the event it reflects (for a periodic observation: the newest event it reflects).
    package var seq: UInt64
    package var chair: String
    /// MSH-10.
    package var controlID: String
    /// The message, segments ended by CR.
    package var text: String

    package init(kind: Kind, seq: UInt64, chair: String, controlID: String, text: String) {
        self.kind = kind
        self.seq = seq
        self.chair = chair
        self.controlID = controlID
        self.text = text
    }
}
