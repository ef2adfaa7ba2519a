// Fuzz target: the IntelliVue MIB/RS232 byte stream (IntelliVueFrameDecoder) and the host session
// that reads it (IntelliVueHostSession, associated and polling), with the readings handed to the core.
import DeviceProtocols
import InfusionCore

/// A host session that has associated and is polling numerics, as after a normal start.
private let pollingSession: IntelliVueHostSession = {
    var session = IntelliVueHostSession()
    _ = session.start(at: .seconds(1_000))
    _ = session.receive(IntelliVueFraming.frame(IntelliVueMessage.associationResponse(nil).userData), at: .seconds(1_000))
    let create = IntelliVueMessage.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0)
    _ = session.receive(IntelliVueFraming.frame(create.userData), at: .seconds(1_000))
    precondition(session.state == .polling, "fuzz support: the session did not reach polling")
    return session
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func intelliVueFramesFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = IntelliVueFrameDecoder()
    let events = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")

    var split = IntelliVueFrameDecoder()
    var splitEvents: [IntelliVueFrameEvent] = []
    for piece in pieces(of: input) { splitEvents += split.decode(piece) }
    require(splitEvents == events, "split changed the frames")
    require(split.discardedByteCount == whole.discardedByteCount, "split changed the discarded count")

    for case .message(let userData) in events {
        // Round trip: the user data framed again (escaping, FCS) decodes to itself.
        var again = IntelliVueFrameDecoder()
        let decoded = again.decode(IntelliVueFraming.frame(userData))
        require(decoded == [.message(userData)], "re-framed user data decodes to \(decoded)")
    }

    var session = pollingSession
    var probe = ChairProbe.infusing
    for piece in pieces(of: input) {
        let time = probe.now + .milliseconds(10)
        let output = session.receive(piece, at: time)
        checkTransmit(output.transmit)
        for report in output.reports {
            for vital in report.vitals {
                require(vital.time <= time, "a reading dated after its receipt")
                let age = time.nanoseconds.subtractingReportingOverflow(vital.time.nanoseconds)
                require(!age.overflow, "a reading's age does not fit the clock: \(vital.time) at \(time)")
                probe.send(.vital(vital), receivedAt: time)
            }
            probe.tick(at: time)
        }
        checkTransmit(session.tick(at: time).transmit)
    }
    return 0
}

/// Whatever the session sends must be whole frames of messages it could read itself.
private func checkTransmit(_ transmit: [UInt8]) {
    guard !transmit.isEmpty else { return }
    var decoder = IntelliVueFrameDecoder()
    for event in decoder.decode(transmit) {
        guard case .message(let userData) = event else {
            fatalError("fuzz invariant broken: the session sent a damaged frame: \(event)")
        }
        require((try? IntelliVueMessage(userData: userData)) != nil, "the session sent an unreadable message")
    }
    require(decoder.discardedByteCount == 0, "the session sent bytes outside frames")
}
