package import ClinicalExports
package import Foundation

/// The bridge's settings (`--config FILE`, JSON; every key optional). docs/INTEGRATION.md lists them.
package struct BridgeConfiguration: Codable, Equatable, Sendable {
    /// MSH-3…6, PID-3.4 and PV1-3.1, as the session exports use them (docs/EXPORTS.md).
    package var hl7 = HL7Configuration()
    /// Names this bridge in every MSH-10 (`<prefix>.<seq>.<kind>`) and OBX-18, so control ids stay unique when
    /// several chair hosts feed one engine. Empty: the host name (the shell fills it in).
    package var controlIDPrefix = ""
    /// Seconds between a chair's PCD-01 observation messages, on the daemon's event times.
    package var observationPeriodSeconds: Double = 60
    /// What a bridge with no state file does: `live` sends only what happens from now on (it still reads the
    /// journal to learn each chair's session), `journal` sends everything the daemon's journal holds.
    package var firstStart: FirstStart = .live
    /// Acknowledgement timeout, retries and backoff.
    package var delivery = DeliveryPolicy()
    /// Backoff for reconnecting to infusiond.
    package var daemonReconnectInitialSeconds: Double = 0.2
    package var daemonReconnectMaximumSeconds: Double = 10
    /// Events read ahead of the engine before the bridge stops reading the daemon (it catches up by `since`).
    package var maximumQueuedEvents = 50_000
    /// TLS for both directions (the engine and the order listener); nil: plain MLLP, loopback only.
    package var tls: TLSFiles?

    /// The bridge's TLS identity and the peers it accepts (docs/INTEGRATION.md "Security").
    package struct TLSFiles: Codable, Equatable, Sendable {
        /// PEM: this bridge's certificate (then any intermediates), presented to the engine and to order systems.
        package var certificate: String
        /// PEM: its private key.
        package var privateKey: String
        /// PEM files, one certificate each: the allow-list. A peer (engine or order system) is accepted only
        /// when the certificate it presents is one of these, byte for byte; nothing else is trusted.
        package var allowedPeers: [String]

        package init(certificate: String, privateKey: String, allowedPeers: [String]) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.allowedPeers = allowedPeers
        }
    }

    package enum FirstStart: String, Codable, Equatable, Sendable {
        case live
        case journal
    }

    package init() {}

    private enum CodingKeys: String, CodingKey {
        case hl7, controlIDPrefix, observationPeriodSeconds, firstStart, delivery, daemonReconnectInitialSeconds,
            daemonReconnectMaximumSeconds, maximumQueuedEvents, tls
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BridgeConfiguration()
        hl7 = try c.decodeIfPresent(PartialHL7.self, forKey: .hl7)?.applied(to: d.hl7) ?? d.hl7
        controlIDPrefix = try c.decodeIfPresent(String.self, forKey: .controlIDPrefix) ?? d.controlIDPrefix
        observationPeriodSeconds =
            try c.decodeIfPresent(Double.self, forKey: .observationPeriodSeconds) ?? d.observationPeriodSeconds
        firstStart = try c.decodeIfPresent(FirstStart.self, forKey: .firstStart) ?? d.firstStart
        delivery = try c.decodeIfPresent(DeliveryPolicy.self, forKey: .delivery) ?? d.delivery
        daemonReconnectInitialSeconds =
            try c.decodeIfPresent(Double.self, forKey: .daemonReconnectInitialSeconds) ?? d.daemonReconnectInitialSeconds
        daemonReconnectMaximumSeconds =
            try c.decodeIfPresent(Double.self, forKey: .daemonReconnectMaximumSeconds) ?? d.daemonReconnectMaximumSeconds
        maximumQueuedEvents = try c.decodeIfPresent(Int.self, forKey: .maximumQueuedEvents) ?? d.maximumQueuedEvents
        tls = try c.decodeIfPresent(TLSFiles.self, forKey: .tls)
        if let tls, tls.allowedPeers.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .tls, in: c, debugDescription: "tls.allowedPeers must name at least one peer certificate")
        }
        guard observationPeriodSeconds > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .observationPeriodSeconds, in: c, debugDescription: "must be more than 0")
        }
    }

    /// The `hl7` object with any of its keys.
    private struct PartialHL7: Decodable {
        var sendingApplication, sendingFacility, receivingApplication, receivingFacility: String?
        var patientIdentifierAuthority, pointOfCare, processingID: String?

        func applied(to base: HL7Configuration) -> HL7Configuration {
            HL7Configuration(
                sendingApplication: sendingApplication ?? base.sendingApplication,
                sendingFacility: sendingFacility ?? base.sendingFacility,
                receivingApplication: receivingApplication ?? base.receivingApplication,
                receivingFacility: receivingFacility ?? base.receivingFacility,
                patientIdentifierAuthority: patientIdentifierAuthority ?? base.patientIdentifierAuthority,
                pointOfCare: pointOfCare ?? base.pointOfCare, processingID: processingID ?? base.processingID)
        }
    }

    /// Reads a configuration file's JSON.
    package static func decode(_ data: Data) throws -> BridgeConfiguration {
        try JSONDecoder().decode(BridgeConfiguration.self, from: data)
    }
}
