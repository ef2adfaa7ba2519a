import Foundation
import Testing

/// infusion-hl7 over TLS (issue 20 item 4, docs/INTEGRATION.md "Security"): certificates made by openssl in the
/// test, the engine a TLS server (python-hl7's MLLP server wrapped by python's ssl module) and the order system a
/// TLS client; each side accepts only the certificates on its allow-list.
@Suite("HL7 over TLS", .serialized) struct HL7TLSIntegrationTests {
    /// A self-signed certificate and key per party, made by openssl for this test only.
    struct Party {
        var certificate: String
        var key: String
    }

    static func party(_ name: String, in scratch: ScratchDirectory) throws -> Party {
        let party = Party(certificate: scratch.file("\(name).pem"), key: scratch.file("\(name).key"))
        let made = try Shell.run(
            "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=\(name) -keyout \(party.key) -out \(party.certificate) 2>&1")
        guard made.status == 0 else { throw Failure("openssl: \(made.stdout)") }
        return party
    }

    /// The integration configuration with the bridge's TLS identity and its allow-list.
    static func configuration(bridge: Party, allowing peers: [Party]) -> String {
        let allowed = peers.map { "\"\($0.certificate)\"" }.joined(separator: ",")
        let tls = #""tls":{"certificate":"\#(bridge.certificate)","privateKey":"\#(bridge.key)","allowedPeers":[\#(allowed)]},"#
        return "{" + tls + HL7BridgeIntegrationTests.configuration.drop { $0 != "{" }.dropFirst()
    }

    @Test func bothDirectionsRunOverTLSAndAClientNotOnTheAllowListIsRefused() throws {
        let scratch = try ScratchDirectory()
        let (bridgeID, engineID, ordersID, stranger) = (
            try Self.party("bridge", in: scratch), try Self.party("engine", in: scratch), try Self.party("orders", in: scratch),
            try Self.party("stranger", in: scratch)
        )
        let peer = try MLLPPeer(scratch: scratch, tls: [engineID.certificate, engineID.key, bridgeID.certificate])
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        defer { client.close() }
        let port = try MLLPPeer.freePort()
        // 0.0.0.0 is not loopback: allowed only because TLS is configured.
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, engineAddress: "127.0.0.1:\(peer.port)",
            configuration: Self.configuration(bridge: bridgeID, allowing: [engineID, ordersID]),
            extraArguments: ["--listen", "0.0.0.0:\(port)"])

        // Out: the engine, a TLS server that trusts only the bridge's certificate, receives valid PCD messages.
        let received = try peer.waitUntil("an R01 over TLS") { HL7BridgeIntegrationTests.hasObservation($0) }
        HL7BridgeIntegrationTests.expectWellFormedStream(received)

        // In: the order system on the allow-list gets its order staged.
        let order = HL7OrderIntegrationTests.order(control: "TLS-1")
        let allowed = try HL7OrderIntegrationTests.send(
            [order], to: port, scratch: scratch, tls: [bridgeID.certificate, ordersID.certificate, ordersID.key])
        #expect(allowed.map(\.ack) == ["AA"], "\(allowed.map(\.error)) \(bridge.log.suffix(2000))")
        #expect(allowed.first?.valid == true)
        #expect((try chair.chairStatus(client)["pendingOrder"] as? [String: Any])?["orderID"] as? String == "PLACER-42")

        // A client whose certificate is not on the list is refused in the handshake: no answer, nothing staged.
        let refused = try HL7OrderIntegrationTests.send(
            [HL7OrderIntegrationTests.order(control: "TLS-2", orderID: "PLACER-77")], to: port, scratch: scratch,
            tls: [bridgeID.certificate, stranger.certificate, stranger.key])
        #expect(refused.allSatisfy { $0.ack.isEmpty && !$0.error.isEmpty }, "\(refused.map(\.ack))")
        #expect((try chair.chairStatus(client)["pendingOrder"] as? [String: Any])?["orderID"] as? String == "PLACER-42")
        #expect(bridge.log.contains("refused an order system's connection"), "\(bridge.log.suffix(2000))")
        // Plain MLLP to the TLS listener gets nothing staged either.
        let plain = try HL7OrderIntegrationTests.send(
            [HL7OrderIntegrationTests.order(control: "TLS-3", orderID: "PLACER-78")], to: port, scratch: scratch)
        #expect(plain.allSatisfy { $0.ack.isEmpty }, "\(plain.map(\.ack))")
        #expect((try chair.chairStatus(client)["pendingOrder"] as? [String: Any])?["orderID"] as? String == "PLACER-42")
        #expect(bridge.isRunning)
    }

    @Test func anEngineWhoseCertificateIsNotOnTheListGetsNothing() throws {
        let scratch = try ScratchDirectory()
        let (bridgeID, engineID, stranger) = (
            try Self.party("bridge", in: scratch), try Self.party("engine", in: scratch), try Self.party("stranger", in: scratch)
        )
        // The engine presents the stranger's certificate; the bridge allows only the engine's.
        let peer = try MLLPPeer(scratch: scratch, tls: [stranger.certificate, stranger.key, bridgeID.certificate])
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        defer { client.close() }
        let bridge = try BridgeProcess(
            scratch: scratch, socket: chair.daemon.socketPath, engineAddress: "127.0.0.1:\(peer.port)",
            configuration: Self.configuration(bridge: bridgeID, allowing: [engineID]))
        #expect(eventually(within: 30) { bridge.log.contains("the engine's connection failed") }, "\(bridge.log.suffix(2000))")
        usleep(1_000_000)
        #expect(peer.received.isEmpty, "nothing reaches an engine not on the allow-list")
        #expect(bridge.isRunning, "it keeps retrying with backoff")
    }
}
