extension IntelliVueMessage {
    /// The session header of every data message: session data `E1 00`, presentation context 2.
    static let sessionData: UInt16 = 0xE100
    static let presentationContext: UInt16 = 0x0002

    /// ROSE operation types.
    enum OperationType: UInt16 {
        case invoke = 1
        case result = 2
        case error = 3
        case linkedResult = 5
    }

    /// Reads one message from a frame's user data. Lengths inside the message bound every nested read,
    /// so a lying length throws `.truncated` instead of reading a neighbour's bytes.
    public init(userData: [UInt8]) throws(IntelliVueMessageError) {
        guard let first = userData.first else { throw .truncated }
        switch first {
        case 0x0D: self = .associationRequest(IntelliVueAssociation.pollProfile(in: userData))
        case 0x0E: self = .associationResponse(IntelliVueAssociation.pollProfile(in: userData))
        case 0x0C: self = .associationRefused
        case 0x09: self = .releaseRequest
        case 0x0A: self = .releaseResponse
        case 0x19: self = .abort
        case 0xE1:
            do {
                self = try Self.parseData(IntelliVueByteReader(userData))
            } catch {
                throw .truncated
            }
        default: throw .unknownSession
        }
    }

    private static func parseData(_ message: IntelliVueByteReader) throws(IntelliVueByteReader.Truncated)
        -> IntelliVueMessage
    {
        var reader = message
        try reader.skip(4)  // session and presentation headers
        let operation = try reader.u16()
        var body = try reader.sub(Int(try reader.u16()))
        switch OperationType(rawValue: operation) {
        case .invoke:
            let invoke = try body.u16()
            let command = try body.u16()
            var argument = try body.sub(Int(try body.u16()))
            return try parseInvoke(invoke: invoke, command: command, &argument)
        case .result, .linkedResult:
            var linkedState: IntelliVueLinkedState?
            var linkedCount: UInt8 = 0
            if operation == OperationType.linkedResult.rawValue {
                linkedState = IntelliVueLinkedState(rawValue: try body.u8())
                linkedCount = try body.u8()
                guard linkedState != nil else { return .unsupported }
            }
            let invoke = try body.u16()
            let command = try body.u16()
            var result = try body.sub(Int(try body.u16()))
            let message = try parseResult(invoke: invoke, command: command, &result)
            guard case .pollResult(var poll) = message else { return message }
            poll.linkedState = linkedState
            poll.linkedCount = linkedCount
            return .pollResult(poll)
        case .error:
            return .remoteError(invokeIdentifier: try body.u16(), errorValue: try body.u16())
        case nil:
            return .unsupported
        }
    }

    private static func parseInvoke(invoke: UInt16, command: UInt16, _ argument: inout IntelliVueByteReader)
        throws(IntelliVueByteReader.Truncated) -> IntelliVueMessage
    {
        try argument.skip(6)  // managed object id
        switch IntelliVueCommand(rawValue: command) {
        case .eventReport, .confirmedEventReport:
            let time = try argument.u32()
            guard try argument.u16() == IntelliVueNomenclature.mdsCreateEvent else { return .unsupported }
            return .mdsCreateEvent(invokeIdentifier: invoke, eventTime: time)
        case .confirmedAction:
            try argument.skip(4)  // scope
            let action = try argument.u16()
            var request = try argument.sub(Int(try argument.u16()))
            guard action == IntelliVueNomenclature.singlePollAction || action == IntelliVueNomenclature.extendedPollAction
            else { return .unsupported }
            let pollNumber = try request.u16()
            try request.skip(2)  // partition
            var poll = IntelliVuePollRequest(
                invokeIdentifier: invoke, pollNumber: pollNumber, objectClass: try request.u16(),
                attributeGroup: try request.u16(), isExtended: action == IntelliVueNomenclature.extendedPollAction)
            if poll.isExtended {
                poll.period = try attributeList(&request)[IntelliVueNomenclature.pollPeriodAttribute].flatMap { value in
                    var period = IntelliVueByteReader(value)
                    return try? period.u32()
                }
            }
            return .pollRequest(poll)
        default:
            return .unsupported
        }
    }

    private static func parseResult(invoke: UInt16, command: UInt16, _ result: inout IntelliVueByteReader)
        throws(IntelliVueByteReader.Truncated) -> IntelliVueMessage
    {
        try result.skip(6)  // managed object id
        switch IntelliVueCommand(rawValue: command) {
        case .eventReport, .confirmedEventReport:
            let time = try result.u32()
            guard try result.u16() == IntelliVueNomenclature.mdsCreateEvent else { return .unsupported }
            return .mdsCreateResult(invokeIdentifier: invoke, eventTime: time)
        case .confirmedAction:
            let action = try result.u16()
            var reply = try result.sub(Int(try result.u16()))
            let isExtended = action == IntelliVueNomenclature.extendedPollAction
            guard isExtended || action == IntelliVueNomenclature.singlePollAction else { return .unsupported }
            let pollNumber = try reply.u16()
            let sequence = isExtended ? try reply.u16() : 0
            let relativeTime = try reply.u32()
            let absoluteTime = IntelliVueAbsoluteTime(bytes: try reply.bytes(IntelliVueAbsoluteTime.byteCount))
            try reply.skip(2)  // partition
            var poll = IntelliVuePollResult(
                invokeIdentifier: invoke, pollNumber: pollNumber, isExtended: isExtended, sequenceNumber: sequence,
                relativeTime: relativeTime, absoluteTime: absoluteTime, objectClass: try reply.u16(),
                attributeGroup: try reply.u16(), contexts: [])
            poll.contexts = try pollInfoList(&reply)
            return .pollResult(poll)
        default:
            return .unsupported
        }
    }

    private static func pollInfoList(_ reader: inout IntelliVueByteReader) throws(IntelliVueByteReader.Truncated)
        -> [IntelliVueContextPoll]
    {
        let count = try reader.u16()
        var list = try reader.sub(Int(try reader.u16()))
        var contexts: [IntelliVueContextPoll] = []
        for _ in 0..<count {
            let context = try list.u16()
            let observationCount = try list.u16()
            var observationList = try list.sub(Int(try list.u16()))
            var observations: [IntelliVueObservation] = []
            for _ in 0..<observationCount {
                let handle = try observationList.u16()
                var observation = IntelliVueObservation(handle: handle, numerics: [])
                for (attribute, value) in try attributes(&observationList) {
                    var valueReader = IntelliVueByteReader(value)
                    switch attribute {
                    case IntelliVueNomenclature.numericObservationAttribute:
                        observation.numerics.append(try IntelliVueNumeric.read(from: &valueReader))
                    case IntelliVueNomenclature.compoundNumericObservationAttribute:
                        observation.isCompound = true
                        let numericCount = try valueReader.u16()
                        var numerics = try valueReader.sub(Int(try valueReader.u16()))
                        for _ in 0..<numericCount {
                            observation.numerics.append(try IntelliVueNumeric.read(from: &numerics))
                        }
                    case IntelliVueNomenclature.relativeTimeStampAttribute:
                        observation.relativeTimeStamp = try valueReader.u32()
                    case IntelliVueNomenclature.absoluteTimeStampAttribute:
                        // An unreadable or "no clock" stamp is no stamp, not a broken message.
                        observation.absoluteTimeStamp = IntelliVueAbsoluteTime(
                            bytes: try valueReader.bytes(IntelliVueAbsoluteTime.byteCount))
                    default:
                        break
                    }
                }
                observations.append(observation)
            }
            contexts.append(IntelliVueContextPoll(contextIdentifier: context, observations: observations))
        }
        return contexts
    }

    /// An AttributeList in order (an unknown attribute is kept for the caller to ignore).
    private static func attributes(_ reader: inout IntelliVueByteReader) throws(IntelliVueByteReader.Truncated)
        -> [(UInt16, [UInt8])]
    {
        let count = try reader.u16()
        var list = try reader.sub(Int(try reader.u16()))
        var result: [(UInt16, [UInt8])] = []
        for _ in 0..<count {
            let attribute = try list.u16()
            result.append((attribute, try list.bytes(Int(try list.u16()))))
        }
        return result
    }

    private static func attributeList(_ reader: inout IntelliVueByteReader) throws(IntelliVueByteReader.Truncated)
        -> [UInt16: [UInt8]]
    {
        Dictionary(try attributes(&reader), uniquingKeysWith: { first, _ in first })
    }
}
