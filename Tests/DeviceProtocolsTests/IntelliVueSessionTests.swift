import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing

/// Decodes every frame in `bytes` into messages, failing the test on anything else.
private func messages(in bytes: [UInt8]) -> [IntelliVueMessage] {
    var decoder = IntelliVueFrameDecoder()
    return decoder.decode(bytes).compactMap { event in
        guard case .message(let userData) = event else {
            Issue.record("unexpected frame event \(event)")
            return nil
        }
        return try? IntelliVueMessage(userData: userData)
    }
}

private func frame(_ message: IntelliVueMessage) -> [UInt8] {
    IntelliVueFraming.frame(message.userData)
}

@Suite("IntelliVue host session")
struct IntelliVueSessionTests {
    /// Runs the session up to polling and returns it with the time reached.
    private func associatedSession() -> IntelliVueHostSession {
        var session = IntelliVueHostSession()
        _ = session.start(at: .seconds(0))
        _ = session.receive(frame(.associationResponse(nil)), at: .seconds(0.1))
        _ = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0x000A_BD00)), at: .seconds(0.2))
        return session
    }

    @Test("the dialogue: AARQ, AARE, MDS create event → result and extended poll, results → reports")
    func dialogue() throws {
        var session = IntelliVueHostSession()
        #expect(session.state == .disconnected)
        let request = session.start(at: .zero)
        #expect(messages(in: request) == [.associationRequest(.numericsClient)])
        #expect(session.state == .associating)

        let accepted = session.receive(frame(.associationResponse(nil)), at: .seconds(0.1))
        #expect(accepted.events == [.associated])
        #expect(accepted.transmit.isEmpty)
        #expect(session.state == .awaitingMDSCreate)

        let created = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0x000A_BD00)), at: .seconds(0.2))
        #expect(session.state == .polling)
        let sent = messages(in: created.transmit)
        #expect(sent.first == .mdsCreateResult(invokeIdentifier: 1, eventTime: 0x000A_BD00))
        // The reference poll request exactly: invoke 1, poll 1, numerics, 30 s period.
        #expect(Array(created.transmit.suffix(IntelliVueReference.pollRequestFrame.count)) == IntelliVueReference.pollRequestFrame)

        let data = session.receive(IntelliVueFraming.frame(IntelliVueReference.numericsResult), at: .seconds(1.5))
        let report = try #require(data.reports.first)
        #expect(report.time == .seconds(1.5))
        #expect(report.vital(.spo2)?.trustworthyValue == 97)
        #expect(report.vital(.nibpSystolic)?.trustworthyValue == 120)
        #expect(session.lastNumericsTime == .seconds(1.5))
    }

    @Test("keep-alive after 6 s of host silence, poll renewal every 20 s")
    func timers() {
        var session = associatedSession()
        #expect(session.tick(at: .seconds(5)).transmit.isEmpty)
        let keepAlive = messages(in: session.tick(at: .seconds(6.3)).transmit)
        guard case .pollRequest(let request) = keepAlive.first else {
            Issue.record("expected a keep-alive poll, got \(keepAlive)")
            return
        }
        #expect(!request.isExtended)
        #expect(request.objectClass == 0x0036)
        #expect(request.attributeGroup == 0x0811)
        #expect(session.tick(at: .seconds(7)).transmit.isEmpty)
        let renewal = messages(in: session.tick(at: .seconds(20.3)).transmit)
        guard case .pollRequest(let poll) = renewal.first else {
            Issue.record("expected a poll renewal, got \(renewal)")
            return
        }
        #expect(poll.isExtended)
        #expect(poll.period == 240_000)
    }

    @Test("an unanswered association request is repeated after the response timeout")
    func associationRetry() {
        var session = IntelliVueHostSession()
        _ = session.start(at: .zero)
        #expect(session.tick(at: .seconds(4)).transmit.isEmpty)
        let retry = session.tick(at: .seconds(5))
        #expect(retry.events == [.timedOut(.associating)])
        #expect(messages(in: retry.transmit) == [.associationRequest(.numericsClient)])
    }

    @Test("a repeated MDS create event is answered again without restarting the poll")
    func repeatedMDSCreate() {
        var session = associatedSession()
        let again = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 2, eventTime: 5)), at: .seconds(3))
        #expect(messages(in: again.transmit) == [.mdsCreateResult(invokeIdentifier: 2, eventTime: 5)])
        #expect(session.state == .polling)
    }

    @Test("refusal, abort and release end the association")
    func endings() {
        var refused = IntelliVueHostSession()
        _ = refused.start(at: .zero)
        #expect(refused.receive(frame(.associationRefused), at: .seconds(1)).events == [.refused])
        #expect(refused.state == .disconnected)

        var aborted = associatedSession()
        #expect(aborted.receive(frame(.abort), at: .seconds(1)).events == [.monitorAborted])
        #expect(aborted.state == .disconnected)
        #expect(aborted.tick(at: .seconds(30)).transmit.isEmpty)

        var released = associatedSession()
        #expect(messages(in: released.release(at: .seconds(1))) == [.releaseRequest])
        #expect(released.state == .releasing)
        #expect(released.receive(frame(.releaseResponse), at: .seconds(1.1)).events == [.released])
        #expect(released.state == .disconnected)
    }

    @Test("poll results before the association is complete are ignored")
    func resultsOutOfState() {
        var session = IntelliVueHostSession()
        _ = session.start(at: .zero)
        #expect(session.receive(IntelliVueFraming.frame(IntelliVueReference.numericsResult), at: .seconds(1)).reports.isEmpty)
    }

    @Test("garbage on the line is reported and the next frame still counts")
    func garbage() {
        var session = associatedSession()
        let output = session.receive(
            [0x00, 0xC0, 0x13, 0x37, 0xC1, 0xFF] + IntelliVueFraming.frame(IntelliVueReference.numericsResult), at: .seconds(2))
        #expect(output.events == [.rejectedFrame(.badHeader)])
        #expect(output.reports.count == 1)
    }

    @Test("100,000 random inputs never crash the session")
    func fuzz() async {
        var random = Xoshiro(seed: (0x5345, 0x5353, 8, 9))
        var session = associatedSession()
        let result = IntelliVueFraming.frame(IntelliVueReference.numericsResult)
        for step in 0..<100_000 {
            // Give the shared test thread pool back now and then: the drivers and simulators on ptys
            // in other suites run on it in real time.
            if step.isMultiple(of: 500) { await Task.yield() }
            let time = MonotonicInstant.seconds(1 + Double(step) / 100)
            var input = (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if step.isMultiple(of: 3) { input += result.prefix(Int.random(in: 0...result.count, using: &random)) }
            for report in session.receive(input, at: time).reports {
                #expect(report.vitals.allSatisfy { $0.time == time })
            }
            if step.isMultiple(of: 50) { _ = session.tick(at: time) }
        }
        #expect(session.discardedByteCount > 0)
    }
}
