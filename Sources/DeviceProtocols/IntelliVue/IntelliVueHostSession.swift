public import InfusionCore

/// Timing and profile of the host side of an IntelliVue association. Protocol timing, not clinical
/// numbers; defaults from docs/DEVICE-BASIS.md section 6, "Dialogue and timing".
public struct IntelliVueHostConfiguration: Hashable, Sendable {
    /// The poll profile announced in the association request.
    public var profile: IntelliVuePollProfile
    /// How long one extended poll runs (NOM_ATTR_TIME_PD_POLL); VSCaptureMP asks for 30 s.
    public var pollPeriod: Duration
    /// How often the extended poll is renewed; must be shorter than `pollPeriod` so numerics never stop.
    public var pollRenewalInterval: Duration
    /// The longest silence from the host before a keep-alive is sent. The monitor drops the association
    /// after 10 s without a client message when the poll period is short; VSCaptureMP uses 6 s.
    public var keepAliveInterval: Duration
    /// How long to wait for the association response or the MDS create event before asking again.
    public var responseTimeout: Duration

    public init(
        profile: IntelliVuePollProfile = .numericsClient, pollPeriod: Duration = .seconds(30),
        pollRenewalInterval: Duration = .seconds(20), keepAliveInterval: Duration = .seconds(6),
        responseTimeout: Duration = .seconds(5)
    ) {
        self.profile = profile
        self.pollPeriod = pollPeriod
        self.pollRenewalInterval = pollRenewalInterval
        self.keepAliveInterval = keepAliveInterval
        self.responseTimeout = responseTimeout
    }
}

/// Where the host side of the association stands.
public enum IntelliVueSessionState: Hashable, Sendable {
    /// No association: before `start`, after a release, refusal or abort.
    case disconnected
    /// The association request is sent; waiting for the monitor's answer.
    case associating
    /// Associated; waiting for the monitor to announce its MDS.
    case awaitingMDSCreate
    /// The extended numerics poll is running.
    case polling
    /// The release request is sent; waiting for the monitor's response.
    case releasing
}

/// Things the session wants its driver to know besides readings.
public enum IntelliVueSessionEvent: Hashable, Sendable {
    case associated
    case refused
    case monitorAborted
    case released
    /// No answer within the response timeout in `state`; the session asked again (or gave up releasing).
    case timedOut(IntelliVueSessionState)
    case remoteError(UInt16)
    case rejectedFrame(IntelliVueFrameError)
    case unreadableMessage
}

/// What a call on the session produced: bytes to write to the port, readings and events.
public struct IntelliVueHostOutput: Hashable, Sendable {
    /// Complete frames to send, concatenated, in order.
    public var transmit: [UInt8] = []
    public var reports: [MonitorReport] = []
    public var events: [IntelliVueSessionEvent] = []

    public init() {}
}

/// The host side of an IntelliVue Data Export association as a pure state machine: the driver feeds
/// it received bytes and the passing of time, and writes out whatever it returns.
///
/// Dialogue: association request → response → MDS create event → its result and an extended poll
/// for numerics → poll results (one report each), with poll renewal and keep-alive from `tick`.
/// A report carries each time-stamped numeric once per measurement, dated when it was measured
/// (`IntelliVueMeasurementLedger`); a poll result that only repeats known measurements gives none.
/// Call from one owner only; it holds no I/O and reads no clock.
public struct IntelliVueHostSession: Sendable {
    public let configuration: IntelliVueHostConfiguration
    public private(set) var state: IntelliVueSessionState = .disconnected
    /// When the last poll result carrying a new measurement arrived; a driver's stale-data check reads this.
    public private(set) var lastNumericsTime: MonotonicInstant?
    private var decoder = IntelliVueFrameDecoder()
    private var measurements = IntelliVueMeasurementLedger()
    private var stateEntered = MonotonicInstant.zero
    private var lastTransmit = MonotonicInstant.zero
    private var lastPollRequest = MonotonicInstant.zero
    private var nextInvokeIdentifier: UInt16 = 1
    private var nextPollNumber: UInt16 = 1

    public init(configuration: IntelliVueHostConfiguration = IntelliVueHostConfiguration()) {
        self.configuration = configuration
    }

    /// Bytes discarded by the frame decoder.
    public var discardedByteCount: Int { decoder.discardedByteCount }

    /// Begins (or restarts) the association: returns the association request frame.
    public mutating func start(at time: MonotonicInstant) -> [UInt8] {
        enter(.associating, at: time)
        // A new association may follow a monitor restart, whose relative clock starts again.
        measurements = IntelliVueMeasurementLedger()
        return transmit(.associationRequest(configuration.profile), at: time)
    }

    /// Ends the association politely: returns the release request frame (nothing when not associated).
    public mutating func release(at time: MonotonicInstant) -> [UInt8] {
        guard state != .disconnected, state != .releasing else { return [] }
        enter(.releasing, at: time)
        return transmit(.releaseRequest, at: time)
    }

    /// Feeds bytes received at `time`.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at time: MonotonicInstant) -> IntelliVueHostOutput {
        var output = IntelliVueHostOutput()
        for event in decoder.decode(bytes) {
            switch event {
            case .rejected(let error):
                output.events.append(.rejectedFrame(error))
            case .message(let userData):
                do {
                    handle(try IntelliVueMessage(userData: userData), at: time, into: &output)
                } catch {
                    output.events.append(.unreadableMessage)
                }
            }
        }
        return output
    }

    /// Advances the session's timers: retries an unanswered association, renews the poll and sends
    /// keep-alives. Call at least once a second. In `.disconnected` it sends nothing: after a refusal,
    /// abort or release the driver decides when to `start` again.
    public mutating func tick(at time: MonotonicInstant) -> IntelliVueHostOutput {
        var output = IntelliVueHostOutput()
        let waited = time - stateEntered
        switch state {
        case .disconnected:
            break
        case .associating, .awaitingMDSCreate:
            if waited >= configuration.responseTimeout {
                output.events.append(.timedOut(state))
                output.transmit += start(at: time)
            }
        case .releasing:
            if waited >= configuration.responseTimeout {
                output.events.append(.timedOut(state))
                enter(.disconnected, at: time)
            }
        case .polling:
            if time - lastPollRequest >= configuration.pollRenewalInterval {
                output.transmit += sendPollRequest(at: time)
            } else if time - lastTransmit >= configuration.keepAliveInterval {
                output.transmit += sendKeepAlive(at: time)
            }
        }
        return output
    }

    private mutating func handle(_ message: IntelliVueMessage, at time: MonotonicInstant, into output: inout IntelliVueHostOutput) {
        switch message {
        case .associationResponse where state == .associating:
            enter(.awaitingMDSCreate, at: time)
            output.events.append(.associated)
        case .associationRefused:
            enter(.disconnected, at: time)
            output.events.append(.refused)
        case .mdsCreateEvent(let invoke, let eventTime) where state == .awaitingMDSCreate || state == .polling:
            // A repeated event means our result was lost; answer again but keep the running poll.
            output.transmit += transmit(.mdsCreateResult(invokeIdentifier: invoke, eventTime: eventTime), at: time)
            if state == .awaitingMDSCreate {
                enter(.polling, at: time)
                output.transmit += sendPollRequest(at: time)
            }
        case .pollResult(let result) where state == .polling:
            let vitals = measurements.newVitals(in: result, receivedAt: time)
            guard !vitals.isEmpty else { return }
            lastNumericsTime = time
            output.reports.append(MonitorReport(vitals: vitals, conditions: Self.conditions(of: result), time: time))
        case .remoteError(_, let errorValue):
            output.events.append(.remoteError(errorValue))
        case .abort:
            enter(.disconnected, at: time)
            output.events.append(.monitorAborted)
        case .releaseRequest:
            output.transmit += transmit(.releaseResponse, at: time)
            enter(.disconnected, at: time)
            output.events.append(.released)
        case .releaseResponse where state == .releasing:
            enter(.disconnected, at: time)
            output.events.append(.released)
        default:
            break
        }
    }

    private static func conditions(of result: IntelliVuePollResult) -> MonitorConditions {
        var conditions: MonitorConditions = []
        for numeric in result.numerics where numeric.parameter != nil {
            if numeric.state.contains(.questionable) { conditions.insert(.lowSignalQuality) }
            if numeric.state.contains(.measurementOngoing) { conditions.insert(.searching) }
        }
        return conditions
    }

    private mutating func sendPollRequest(at time: MonotonicInstant) -> [UInt8] {
        lastPollRequest = time
        let ticks = UInt32(clamping: configuration.pollPeriod.nanosecondsClamped / 125_000)
        let request = IntelliVuePollRequest(
            invokeIdentifier: takeInvokeIdentifier(), pollNumber: takePollNumber(),
            objectClass: IntelliVueNomenclature.numericClass, attributeGroup: IntelliVueNomenclature.allAttributes,
            isExtended: true, period: ticks)
        return transmit(.pollRequest(request), at: time)
    }

    /// The guide's recommended keep-alive: a single poll of the alert monitor's static attributes.
    private mutating func sendKeepAlive(at time: MonotonicInstant) -> [UInt8] {
        let request = IntelliVuePollRequest(
            invokeIdentifier: takeInvokeIdentifier(), pollNumber: takePollNumber(),
            objectClass: IntelliVueNomenclature.alertMonitorClass,
            attributeGroup: IntelliVueNomenclature.staticAttributeGroup, isExtended: false)
        return transmit(.pollRequest(request), at: time)
    }

    private mutating func transmit(_ message: IntelliVueMessage, at time: MonotonicInstant) -> [UInt8] {
        lastTransmit = time
        return IntelliVueFraming.frame(message.userData)
    }

    private mutating func enter(_ newState: IntelliVueSessionState, at time: MonotonicInstant) {
        state = newState
        stateEntered = time
    }

    private mutating func takeInvokeIdentifier() -> UInt16 {
        defer { nextInvokeIdentifier &+= 1 }
        return nextInvokeIdentifier
    }

    private mutating func takePollNumber() -> UInt16 {
        defer { nextPollNumber &+= 1 }
        return nextPollNumber
    }
}
