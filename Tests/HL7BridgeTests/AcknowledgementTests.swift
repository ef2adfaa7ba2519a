import HL7Bridge
import Testing

@Suite struct AcknowledgementTests {
    @Test func anOriginalModeAcceptIsRead() throws {
        let ack = try Acknowledgement.parse("MSH|^~\\&|ENGINE||INFUSIOND||20261207||ACK^R01^ACK|A1|P|2.6\rMSA|AA|vm.46.R42\r")
        #expect(ack == Acknowledgement(code: .applicationAccept, controlID: "vm.46.R42", text: ""))
        #expect(ack.code.disposition == .accepted)
    }

    @Test func everyTable0008CodeHasItsDisposition() throws {
        let expected: [String: Acknowledgement.Disposition] = [
            "AA": .accepted, "CA": .accepted, "AE": .error, "CE": .error, "AR": .rejected, "CR": .rejected,
        ]
        for (code, disposition) in expected {
            let ack = try Acknowledgement.parse("MSH|^~\\&|E||I||20261207||ACK|A|P|2.6\rMSA|\(code)|X.1\r")
            #expect(ack.code.disposition == disposition, "\(code)")
        }
    }

    @Test func errorTextComesFromMSA3AndERR() throws {
        let text = "MSH|^~\\&|E||I||20261207||ACK|A|P|2.6\nMSA|AE|h.9.R40|database away\nERR|||207^Application internal error^HL70357|E||||retry later\n"
        let ack = try Acknowledgement.parse(text)
        #expect(ack.code == .applicationError)
        #expect(ack.controlID == "h.9.R40")
        #expect(ack.text == "database away; 207 Application internal error HL70357; retry later")
    }

    @Test func otherSeparatorsAndCRLFAreRead() throws {
        let ack = try Acknowledgement.parse("MSH#$~\\&#E##I##20261207##ACK#A#P#2.6\r\nMSA#CA#h.3.R01\r\n")
        #expect(ack.code == .commitAccept && ack.controlID == "h.3.R01")
    }

    @Test(arguments: [
        "", "PID|||x\r", "MSH|^~\\&|E\rPID|1\r", "MSH|^~\\&|E\rMSA|OK|x\r", "MSH|^~\\&|E\rMSA|AA|\r", "MSH|^~\\&|E\rMSA|AA\r",
    ])
    func somethingThatIsNoAcknowledgementIsRefused(_ text: String) {
        #expect(throws: Acknowledgement.ParseError.self) { try Acknowledgement.parse(text) }
    }
}

@Suite struct DeliveryPolicyTests {
    func ack(_ code: Acknowledgement.Code) -> Acknowledgement {
        Acknowledgement(code: code, controlID: "x", text: "why")
    }

    @Test func acceptsAdvance() {
        let policy = DeliveryPolicy()
        #expect(policy.decide(ack(.applicationAccept), refusals: 1) == .advance)
        #expect(policy.decide(ack(.commitAccept), refusals: 9) == .advance)
    }

    @Test func anErrorIsRetriedWithGrowingBackoffThenSetAside() {
        var policy = DeliveryPolicy()
        policy.errorRetries = 3
        policy.backoffInitialSeconds = 1
        policy.backoffMaximumSeconds = 3
        #expect(policy.decide(ack(.applicationError), refusals: 1) == .retry(afterSeconds: 1))
        #expect(policy.decide(ack(.applicationError), refusals: 2) == .retry(afterSeconds: 2))
        #expect(policy.decide(ack(.commitError), refusals: 3) == .retry(afterSeconds: 3))
        guard case .setAside(let reason) = policy.decide(ack(.applicationError), refusals: 4) else {
            Issue.record("AE past its retries is set aside")
            return
        }
        #expect(reason == "refused 4 times, last AE: why")
    }

    @Test func aRejectGetsFewerRetries() {
        let policy = DeliveryPolicy()
        #expect(policy.decide(ack(.applicationReject), refusals: 2) == .retry(afterSeconds: 1))
        #expect(policy.decide(ack(.applicationReject), refusals: 3) == .setAside(reason: "refused 3 times, last AR: why"))
        #expect(policy.decide(ack(.commitReject), refusals: 3) == .setAside(reason: "refused 3 times, last CR: why"))
    }

    @Test func backoffIsCapped() {
        let policy = DeliveryPolicy()
        #expect(policy.backoff(attempt: 1) == 0.5)
        #expect(policy.backoff(attempt: 40) == policy.backoffMaximumSeconds)
    }
}
