// Fuzz target: IntelliVue Data Export messages (IntelliVueMessage(userData:)), the user data of a frame
// whose FCS already checked, then the same bytes framed into an associated, polling host session,
// with the readings handed to the core.
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
public func intelliVueMessagesFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    if let message = try? IntelliVueMessage(userData: input) {
        // Round trip: the message written out reads back as itself. Only an association whose user
        // info is not the reference shape changes: it is written with the default poll profile.
        let written = message.userData
        let reread: IntelliVueMessage
        do {
            reread = try IntelliVueMessage(userData: written)
        } catch {
            fatalError("fuzz invariant broken: \(message) written out is unreadable: \(error)")
        }
        switch message {
        case .associationRequest(nil):
            require(reread == .associationRequest(.numericsClient), "AARQ written out reads as \(reread)")
        case .associationResponse(nil):
            require(reread == .associationResponse(.simulatedMonitor), "AARE written out reads as \(reread)")
        default:
            require(reread == message, "\(message) written out reads as \(reread)")
        }
        if case .pollResult(let result) = message {
            for observation in result.contexts.flatMap(\.observations) {
                if let age = observation.age(in: result) { require(age >= .zero, "negative age \(age)") }
            }
        }
    }

    // The same bytes as a frame's user data, into a polling session, readings into an infusing chair.
    guard input.count <= Int(UInt16.max) else { return 0 }
    var session = pollingSession
    var probe = ChairProbe.infusing
    let time = probe.now + .milliseconds(10)
    let output = session.receive(IntelliVueFraming.frame(input), at: time)
    for report in output.reports {
        for vital in report.vitals {
            require(vital.time <= time, "a reading dated after its receipt")
            let age = time.nanoseconds.subtractingReportingOverflow(vital.time.nanoseconds)
            require(!age.overflow, "a reading's age does not fit the clock: \(vital.time) at \(time)")
            probe.send(.vital(vital), receivedAt: time)
        }
    }
    probe.tick(at: time)
    probe.tick(seconds: 1)
    return 0
}
