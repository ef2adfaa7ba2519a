/// A poll request: single (NOM_ACT_POLL_MDIB_DATA) or extended (NOM_ACT_POLL_MDIB_DATA_EXT).
public struct IntelliVuePollRequest: Hashable, Sendable {
    public var invokeIdentifier: UInt16
    public var pollNumber: UInt16
    /// The object class polled, e.g. numerics (0x0006) or the alert monitor (0x0036).
    public var objectClass: UInt16
    /// The attribute group asked for; 0 means all.
    public var attributeGroup: UInt16
    public var isExtended: Bool
    /// For an extended poll, how long it runs (NOM_ATTR_TIME_PD_POLL), in 1/8 ms ticks.
    public var period: UInt32?

    public init(
        invokeIdentifier: UInt16, pollNumber: UInt16, objectClass: UInt16, attributeGroup: UInt16,
        isExtended: Bool, period: UInt32? = nil
    ) {
        self.invokeIdentifier = invokeIdentifier
        self.pollNumber = pollNumber
        self.objectClass = objectClass
        self.attributeGroup = attributeGroup
        self.isExtended = isExtended
        self.period = period
    }
}

/// The observations of one MDS context in a poll reply.
public struct IntelliVueContextPoll: Hashable, Sendable {
    public var contextIdentifier: UInt16
    public var observations: [IntelliVueObservation]

    public init(contextIdentifier: UInt16, observations: [IntelliVueObservation]) {
        self.contextIdentifier = contextIdentifier
        self.observations = observations
    }
}

/// Where a reply sits in a linked series: every part but the last is a linked result (RORLS).
public enum IntelliVueLinkedState: UInt8, Hashable, Sendable {
    case first = 1
    case middle = 2
    case last = 3
}

/// A poll reply, single or extended, possibly one part of a linked series.
public struct IntelliVuePollResult: Hashable, Sendable {
    public var invokeIdentifier: UInt16
    /// Nil for the final result (RORS); the part's state for a linked result (RORLS).
    public var linkedState: IntelliVueLinkedState?
    /// The linked part's counter (RORLS only).
    public var linkedCount: UInt8 = 0
    public var pollNumber: UInt16
    public var isExtended: Bool
    /// Extended replies number their sequence; single replies have none.
    public var sequenceNumber: UInt16
    /// The monitor's RelativeTime of the reply, 1/8 ms ticks.
    public var relativeTime: UInt32
    /// The monitor's AbsoluteTime of the reply; nil when it has no wall clock (all 0xFF on the wire).
    public var absoluteTime: IntelliVueAbsoluteTime?
    public var objectClass: UInt16
    public var attributeGroup: UInt16
    public var contexts: [IntelliVueContextPoll]

    public init(
        invokeIdentifier: UInt16, pollNumber: UInt16, isExtended: Bool, sequenceNumber: UInt16 = 0,
        relativeTime: UInt32, absoluteTime: IntelliVueAbsoluteTime? = nil, objectClass: UInt16, attributeGroup: UInt16,
        contexts: [IntelliVueContextPoll]
    ) {
        self.invokeIdentifier = invokeIdentifier
        self.pollNumber = pollNumber
        self.isExtended = isExtended
        self.sequenceNumber = sequenceNumber
        self.relativeTime = relativeTime
        self.absoluteTime = absoluteTime
        self.objectClass = objectClass
        self.attributeGroup = attributeGroup
        self.contexts = contexts
    }

    /// Every numeric in every context and observation, in order.
    public var numerics: [IntelliVueNumeric] {
        contexts.flatMap { $0.observations.flatMap(\.numerics) }
    }
}

/// A Data Export message in either direction, as far as the numerics subset needs them.
///
/// Parse with `init(userData:)`, build bytes with `userData`; frame them with `IntelliVueFraming`.
public enum IntelliVueMessage: Hashable, Sendable {
    /// AARQ; the poll profile when the user info has the reference shape.
    case associationRequest(IntelliVuePollProfile?)
    /// AARE: the monitor accepts.
    case associationResponse(IntelliVuePollProfile?)
    /// The monitor refuses the association.
    case associationRefused
    case releaseRequest
    case releaseResponse
    case abort
    /// The monitor announces its MDS; the client must answer with `mdsCreateResult`.
    case mdsCreateEvent(invokeIdentifier: UInt16, eventTime: UInt32)
    /// The client's answer to the MDS create event, echoing its invoke id and time.
    case mdsCreateResult(invokeIdentifier: UInt16, eventTime: UInt32)
    case pollRequest(IntelliVuePollRequest)
    case pollResult(IntelliVuePollResult)
    /// ROER: the peer rejected an invoke.
    case remoteError(invokeIdentifier: UInt16, errorValue: UInt16)
    /// A well-formed message outside the numerics subset (another event, a get, a set); ignored.
    case unsupported
}

/// Why user data could not be read as a Data Export message.
public enum IntelliVueMessageError: Error, Hashable, Sendable {
    /// A length field points beyond the data, or the data ends inside a field.
    case truncated
    /// The first bytes are not an association message nor session data `E1 00`.
    case unknownSession
}
