public import DeviceProtocols
public import InfusionCore

/// A Philips IntelliVue monitor behind its MIB/RS232 port, Data Export numerics only.
///
/// It answers the association request with a response and the MDS create event (re-sent if
/// unanswered, then aborted), answers extended numeric polls with one result per second for the
/// poll's period and single polls (keep-alive) at once, drops the association when the host is
/// silent too long, and releases on request (docs/DEVICE-BASIS.md section 6, "Dialogue and timing").
///
/// Faults: sensor off sends SpO2, pulse and perfusion as invalid NaN; motion marks them questionable;
/// low perfusion marks them questionable with a small perfusion index; ECG heart rate and NIBP are
/// not affected by the oximeter probe. No-frames and disconnect make the monitor silent and deaf;
/// garbage puts random bytes before each frame (and between frames at the `noise-rate`).
public struct IntelliVueSimulator: ControllableDevice {
    public var settings: IntelliVueSimulationSettings
    public internal(set) var state: MonitorSimulation
    /// Whether a host is associated (after the MDS create result).
    public var isAssociated: Bool { association == .associated }
    private let start: MonotonicInstant
    private var decoder = IntelliVueFrameDecoder()
    private var association = Association.idle
    private var lastHostMessage = MonotonicInstant.zero
    private var poll: ActivePoll?
    private var nextEventInvoke: UInt16 = 1
    /// The last NIBP measurement and when it was taken, repeated with that time stamp in every
    /// result until the next cycle (as a monitor shows its last cuff reading).
    var bloodPressureReading: PatientVitals?
    var bloodPressureTakenAt = MonotonicInstant.zero
    var nextBloodPressure = MonotonicInstant.zero
    /// Set by `association-abort`: the next `advance` drops the association with an abort.
    private var abortRequested = false

    private enum Association: Hashable, Sendable {
        case idle
        case awaitingCreateResult(sentAt: MonotonicInstant, attempts: Int, invoke: UInt16)
        case associated
    }

    private struct ActivePoll: Hashable, Sendable {
        var invoke: UInt16
        var pollNumber: UInt16
        var expiry: MonotonicInstant
        var nextResult: MonotonicInstant
        var sequence: UInt16 = 0
    }

    public init(settings: IntelliVueSimulationSettings = IntelliVueSimulationSettings(), state: MonitorSimulation, start: MonotonicInstant = .zero) {
        self.settings = settings
        self.state = state
        self.start = start
    }

    public mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] {
        guard !state.isSilent else { return [] }
        var output: [UInt8] = []
        for case .message(let userData) in decoder.decode(bytes) {
            guard let message = try? IntelliVueMessage(userData: userData) else { continue }
            lastHostMessage = time
            output += answer(message, at: time)
        }
        return output + advance(to: time)
    }

    public mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        guard !state.isSilent else { return [] }
        var output = state.noiseBetweenMessages(until: time)
        if abortRequested {
            abortRequested = false
            association = .idle
            poll = nil
            return output + send(.abort)
        }
        switch association {
        case .idle:
            break
        case .awaitingCreateResult(let sentAt, let attempts, let invoke):
            if time - sentAt >= settings.createEventRepeat {
                if attempts > settings.createEventRepeats {
                    association = .idle
                    output += send(.abort)
                } else {
                    association = .awaitingCreateResult(sentAt: time, attempts: attempts + 1, invoke: invoke)
                    output += send(.mdsCreateEvent(invokeIdentifier: invoke, eventTime: relativeTime(time)))
                }
            }
        case .associated:
            if time - lastHostMessage >= settings.associationTimeout {
                association = .idle
                poll = nil
                return output + send(.abort)
            }
            output += pollResults(until: time)
        }
        return output
    }

    /// Besides the shared monitor lines, `nibp-start` presses the monitor's own "Start NBP" key: a cuff
    /// measurement is taken with the next result and the automatic cycle restarts from it.
    /// `association-abort` drops the association as a monitor does when it is reconfigured or its
    /// export is switched off: an abort is sent at once, and the host must associate again.
    public mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        switch words {
        case ["nibp-start"]:
            nextBloodPressure = time
            return "ok"
        case ["association-abort"]:
            guard association != .idle else { return "error no association to abort" }
            abortRequested = true
            return "ok"
        default:
            return state.control(words, at: time)
        }
    }

    private mutating func answer(_ message: IntelliVueMessage, at time: MonotonicInstant) -> [UInt8] {
        switch message {
        case .associationRequest:
            poll = nil
            let invoke = nextEventInvoke
            nextEventInvoke &+= 1
            association = .awaitingCreateResult(sentAt: time, attempts: 1, invoke: invoke)
            return send(.associationResponse(settings.profile))
                + send(.mdsCreateEvent(invokeIdentifier: invoke, eventTime: relativeTime(time)))
        case .mdsCreateResult:
            if case .awaitingCreateResult = association { association = .associated }
            return []
        case .pollRequest(let request) where association == .associated:
            if request.isExtended, request.objectClass == IntelliVueNomenclature.numericClass {
                let period = Duration.nanoseconds(Int64(request.period ?? settings.defaultPollTicks) * 125_000)
                poll = ActivePoll(invoke: request.invokeIdentifier, pollNumber: request.pollNumber, expiry: time + period, nextResult: time)
                return pollResults(until: time)
            }
            let empty = IntelliVuePollResult(
                invokeIdentifier: request.invokeIdentifier, pollNumber: request.pollNumber, isExtended: request.isExtended,
                relativeTime: relativeTime(time), objectClass: request.objectClass, attributeGroup: request.attributeGroup,
                contexts: [])
            return send(.pollResult(empty))
        case .releaseRequest:
            association = .idle
            poll = nil
            return send(.releaseResponse)
        case .abort:
            association = .idle
            poll = nil
            return []
        default:
            return []
        }
    }

    private mutating func pollResults(until time: MonotonicInstant) -> [UInt8] {
        guard var active = poll else { return [] }
        var output: [UInt8] = []
        // Results not sent while the line was silent are not queued.
        if time - active.nextResult > settings.resultPeriod { active.nextResult = time }
        while active.nextResult <= time, active.nextResult < active.expiry {
            let result = IntelliVuePollResult(
                invokeIdentifier: active.invoke, pollNumber: active.pollNumber, isExtended: true,
                sequenceNumber: active.sequence, relativeTime: relativeTime(active.nextResult),
                objectClass: IntelliVueNomenclature.numericClass, attributeGroup: IntelliVueNomenclature.allAttributes,
                contexts: [IntelliVueContextPoll(contextIdentifier: 0, observations: observations(at: active.nextResult))])
            output += send(.pollResult(result))
            active.sequence &+= 1
            active.nextResult = active.nextResult + settings.resultPeriod
        }
        poll = active.nextResult < active.expiry ? active : nil
        return output
    }

    private mutating func send(_ message: IntelliVueMessage) -> [UInt8] {
        state.noiseBurst() + IntelliVueFraming.frame(message.userData)
    }

    /// The monitor's RelativeTime clock, 1/8 ms ticks since it started.
    func relativeTime(_ time: MonotonicInstant) -> UInt32 {
        UInt32(truncatingIfNeeded: max(0, (time - start).nanosecondsClamped) / 125_000)
    }
}

/// Device-level settings of the simulated IntelliVue. Protocol timing from docs/DEVICE-BASIS.md
/// section 6; the NIBP cycle from docs/CLINICAL-BASIS.md §1.6 (daemon design default: every 5 min).
public struct IntelliVueSimulationSettings: Hashable, Sendable {
    /// The poll profile announced in the association response (the reference AARE's).
    public var profile: IntelliVuePollProfile = .simulatedMonitor
    /// Numerics arrive once per second during an extended poll.
    public var resultPeriod: Duration = .seconds(1)
    /// The association is dropped after this long without a host message (10 s when the minimum poll
    /// period is under 3.3 s, guide p. 70 as cited).
    public var associationTimeout: Duration = .seconds(10)
    /// How often an unanswered MDS create event is re-sent, and how many times before aborting.
    public var createEventRepeat: Duration = .seconds(3)
    public var createEventRepeats = 3
    /// The poll period when a request names none: 30 s in 1/8 ms ticks.
    public var defaultPollTicks: UInt32 = 240_000
    /// The automatic NIBP cycle.
    public var bloodPressureInterval: Duration = .seconds(5 * 60)
    /// The perfusion index sent under the low-perfusion fault.
    public var lowPerfusionIndex: Double = 0.2

    public init() {}
}
