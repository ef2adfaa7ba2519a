import ClinicalExports
import InfusionCore

/// The pure heart of the bridge: folds infusiond's events, in `seq` order, into per-chair state and says which
/// HL7 messages each event gives. The same events from the same state give the same messages, byte for byte,
/// which is what lets a restarted bridge send a message again under the same control id.
///
/// - Every alarm transition gives a PCD-04 `ORU^R40`.
/// - A session entering `infusing` (start, resume), `paused`, or `complete` (stopped or dose reached), and a
///   new rate commanded while infusing, give a PCD-10 `ORU^R42`.
/// - The first event of a chair whose time falls in a new observation period gives a PCD-01 `ORU^R01` (while
///   a patient is at the chair), tied to that event: periods run on the daemon's event times, not the
///   bridge's clock, so a replay draws the same messages.
package struct Outbox: Sendable {
    package private(set) var chairs: [String: ChairState]
    package let builder: LiveMessageBuilder
    private let periodMilliseconds: Int64

    package init(configuration: BridgeConfiguration, sourceName: String, chairs: [String: ChairState] = [:]) {
        self.chairs = chairs
        builder = LiveMessageBuilder(configuration: configuration.hl7, sourceName: sourceName)
        periodMilliseconds = max(1, Int64((configuration.observationPeriodSeconds * 1000).rounded()))
    }

    /// Folds `event` and returns its messages, in the order to send them.
    package mutating func handle(_ event: DaemonEvent) -> [OutboundMessage] {
        guard let chair = event.chair else { return [] }
        var state = chairs[chair] ?? ChairState()
        let before = state
        state.apply(event)
        var messages: [OutboundMessage] = []
        switch event.kind {
        case .alarm(let change):
            messages.append(builder.alert(chair: chair, state: state, change: change, seq: event.seq))
        case .session(let change):
            if let (kind, flow) = Self.infusionEvent(change, before: before, after: state) {
                messages.append(
                    builder.infusionEvent(
                        chair: chair, state: state, event: kind, reason: change.reason, flow: flow, seq: event.seq,
                        time: change.time))
                state.reportedInfusionFlow = kind == .start || kind == .resume ? flow : nil
            }
        case .rateCommand(let flow):
            // While infusing, a new rate is an event; the rate commanded just before a start or resume is part
            // of that start (the session event follows it).
            if before.state == .infusing, state.reportedInfusionFlow != flow, let time = state.latestTime {
                messages.append(
                    builder.infusionEvent(
                        chair: chair, state: state, event: .rateChange, reason: "rate", flow: flow, seq: event.seq,
                        time: time))
                state.reportedInfusionFlow = flow
            }
        case .vital, .delivery, .deliveryCertainty, .restart, .observation, .device, .other, .unreadable:
            break
        }
        if let observation = periodicObservation(chair: chair, state: &state, seq: event.seq) {
            messages.append(observation)
        }
        chairs[chair] = state
        return messages
    }

    /// The PCD-10 event a session transition is, with the flow to report; nil for transitions that are not
    /// infusion events (intake, programmed, recovery, ...).
    static func infusionEvent(_ change: DaemonEvent.SessionChange, before: ChairState, after: ChairState)
        -> (InfusionEvent, Double?)?
    {
        switch change.to {
        case .infusing where change.from != .infusing:
            return (change.from == .paused ? .resume : .start, after.commandedFlow)
        case .paused where change.from == .infusing:
            return (.pause, after.knownFlow)
        case .complete where change.from == .infusing || change.from == .paused:
            return (change.reason == "dose-reached" ? .complete : .stop, after.knownFlow)
        default:
            return nil
        }
    }

    /// A PCD-01 message when this chair's newest event time has entered a new period and there is something to
    /// report: each parameter's newest reading not yet sent, and the pump once programmed.
    private func periodicObservation(chair: String, state: inout ChairState, seq: UInt64) -> OutboundMessage? {
        guard state.hasSession, let latest = state.latestTime else { return nil }
        let period = floorDivide(latest.millisecondsSinceEpoch, periodMilliseconds)
        if let last = state.lastObservationPeriod, period <= last { return nil }
        let fresh = state.vitals.values
            .filter { reading in state.reportedVitals[reading.parameter.rawValue].map { reading.time > $0 } ?? true }
            .sorted { $0.parameter.rawValue < $1.parameter.rawValue }
        let scores = state.freshScores
        guard !fresh.isEmpty || !scores.isEmpty || state.outline.concentration != nil,
            let message = builder.observation(
                chair: chair, state: state, readings: fresh, scores: scores, seq: seq, time: latest)
        else { return nil }
        state.lastObservationPeriod = period
        for reading in fresh { state.reportedVitals[reading.parameter.rawValue] = reading.time }
        var reported = state.reportedScores ?? [:]
        for (scale, score) in scores { reported[scale] = score.time }
        state.reportedScores = reported
        return message
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
