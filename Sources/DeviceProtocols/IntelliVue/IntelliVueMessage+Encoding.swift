extension IntelliVueMessage {
    /// The message's user data, ready for `IntelliVueFraming.frame`.
    ///
    /// Association messages use the reference templates; data messages address the MDS
    /// (class 0x0021, context 0, handle 0), as the reference poll request and MDS create result do.
    public var userData: [UInt8] {
        switch self {
        case .associationRequest(let profile): IntelliVueAssociation.request(profile: profile ?? .numericsClient)
        case .associationResponse(let profile): IntelliVueAssociation.response(profile: profile ?? .simulatedMonitor)
        case .associationRefused: Self.refuse
        case .releaseRequest: IntelliVueAssociation.releaseRequest
        case .releaseResponse: IntelliVueAssociation.releaseResponse
        case .abort: IntelliVueAssociation.abort
        case .mdsCreateEvent(let invoke, let time):
            Self.operation(.invoke, invoke: invoke, command: .confirmedEventReport, body: Self.eventReport(time: time))
        case .mdsCreateResult(let invoke, let time):
            Self.operation(.result, invoke: invoke, command: .confirmedEventReport, body: Self.eventResult(time: time))
        case .pollRequest(let request):
            Self.operation(.invoke, invoke: request.invokeIdentifier, command: .confirmedAction, body: Self.action(request))
        case .pollResult(let result): Self.pollResultData(result)
        case .remoteError(let invoke, let errorValue):
            Self.session(operation: .error, body: [UInt8(invoke >> 8), UInt8(invoke & 0xFF), UInt8(errorValue >> 8),
                UInt8(errorValue & 0xFF), 0, 0])
        case .unsupported:
            // A GET of the MDS: well formed, outside the subset.
            Self.operation(.invoke, invoke: 0, command: .get, body: [0x00, 0x21, 0, 0, 0, 0, 0, 0, 0, 0])
        }
    }

    /// The refuse message a monitor sends instead of an AARE (first byte 0x0C; the rest is not parsed).
    static let refuse: [UInt8] = [0x0C, 0x02, 0x00, 0x00]

    private static func session(operation: OperationType, body: [UInt8]) -> [UInt8] {
        var writer = IntelliVueByteWriter()
        writer.u16(sessionData)
        writer.u16(presentationContext)
        writer.u16(operation.rawValue)
        writer.lengthPrefixed(body)
        return writer.bytes
    }

    private static func operation(_ type: OperationType, invoke: UInt16, command: IntelliVueCommand, body: [UInt8])
        -> [UInt8]
    {
        var writer = IntelliVueByteWriter()
        writer.u16(invoke)
        writer.u16(command.rawValue)
        writer.lengthPrefixed(body)
        return session(operation: type, body: writer.bytes)
    }

    private static func managedObject(_ writer: inout IntelliVueByteWriter) {
        writer.u16(IntelliVueNomenclature.mdsClass)
        writer.u16(0)  // context
        writer.u16(0)  // handle
    }

    /// EventReportArgument with an MDSCreateInfo naming the MDS and the monitor's relative time.
    private static func eventReport(time: UInt32) -> [UInt8] {
        var info = IntelliVueByteWriter()
        managedObject(&info)
        var attributes = IntelliVueByteWriter()
        attributes.u16(IntelliVueNomenclature.relativeTimeAttribute)
        attributes.u16(4)
        attributes.u32(time)
        info.u16(1)
        info.lengthPrefixed(attributes.bytes)
        var writer = IntelliVueByteWriter()
        managedObject(&writer)
        writer.u32(time)
        writer.u16(IntelliVueNomenclature.mdsCreateEvent)
        writer.lengthPrefixed(info.bytes)
        return writer.bytes
    }

    private static func eventResult(time: UInt32) -> [UInt8] {
        var writer = IntelliVueByteWriter()
        managedObject(&writer)
        writer.u32(time)
        writer.u16(IntelliVueNomenclature.mdsCreateEvent)
        writer.u16(0)
        return writer.bytes
    }

    private static func action(_ request: IntelliVuePollRequest) -> [UInt8] {
        var poll = IntelliVueByteWriter()
        poll.u16(request.pollNumber)
        poll.u16(IntelliVueNomenclature.objectPartition)
        poll.u16(request.objectClass)
        poll.u16(request.attributeGroup)
        if request.isExtended {
            var attributes = IntelliVueByteWriter()
            if let period = request.period {
                attributes.u16(IntelliVueNomenclature.pollPeriodAttribute)
                attributes.u16(4)
                attributes.u32(period)
            }
            poll.u16(request.period == nil ? 0 : 1)
            poll.lengthPrefixed(attributes.bytes)
        }
        var writer = IntelliVueByteWriter()
        managedObject(&writer)
        writer.u32(0)  // scope: the monitor ignores a request without it
        writer.u16(request.isExtended ? IntelliVueNomenclature.extendedPollAction : IntelliVueNomenclature.singlePollAction)
        writer.lengthPrefixed(poll.bytes)
        return writer.bytes
    }

    private static func pollResultData(_ result: IntelliVuePollResult) -> [UInt8] {
        var reply = IntelliVueByteWriter()
        reply.u16(result.pollNumber)
        if result.isExtended { reply.u16(result.sequenceNumber) }
        reply.u32(result.relativeTime)
        // A monitor without a wall clock sends all eight bytes as 0xFF.
        reply.append(result.absoluteTime?.bytes ?? [UInt8](repeating: 0xFF, count: IntelliVueAbsoluteTime.byteCount))
        reply.u16(IntelliVueNomenclature.objectPartition)
        reply.u16(result.objectClass)
        reply.u16(result.attributeGroup)
        var contexts = IntelliVueByteWriter()
        for context in result.contexts {
            contexts.u16(context.contextIdentifier)
            contexts.u16(UInt16(clamping: context.observations.count))
            contexts.lengthPrefixed(context.observations.flatMap(observationBytes))
        }
        reply.u16(UInt16(clamping: result.contexts.count))
        reply.lengthPrefixed(contexts.bytes)

        var actionResult = IntelliVueByteWriter()
        managedObject(&actionResult)
        actionResult.u16(result.isExtended ? IntelliVueNomenclature.extendedPollAction : IntelliVueNomenclature.singlePollAction)
        actionResult.lengthPrefixed(reply.bytes)

        var header = IntelliVueByteWriter()
        if let state = result.linkedState {
            header.u8(state.rawValue)
            header.u8(result.linkedCount)
        }
        header.u16(result.invokeIdentifier)
        header.u16(IntelliVueCommand.confirmedAction.rawValue)
        header.lengthPrefixed(actionResult.bytes)
        return session(operation: result.linkedState == nil ? .result : .linkedResult, body: header.bytes)
    }

    private static func observationBytes(_ observation: IntelliVueObservation) -> [UInt8] {
        var attributes = IntelliVueByteWriter()
        var count: UInt16 = 0
        if observation.isCompound {
            var values = IntelliVueByteWriter()
            for numeric in observation.numerics { numeric.write(to: &values) }
            var compound = IntelliVueByteWriter()
            compound.u16(UInt16(clamping: observation.numerics.count))
            compound.lengthPrefixed(values.bytes)
            attributes.u16(IntelliVueNomenclature.compoundNumericObservationAttribute)
            attributes.lengthPrefixed(compound.bytes)
            count = 1
        } else {
            for numeric in observation.numerics {
                var value = IntelliVueByteWriter()
                numeric.write(to: &value)
                attributes.u16(IntelliVueNomenclature.numericObservationAttribute)
                attributes.lengthPrefixed(value.bytes)
                count += 1
            }
        }
        if let stamp = observation.relativeTimeStamp {
            attributes.u16(IntelliVueNomenclature.relativeTimeStampAttribute)
            attributes.u16(4)
            attributes.u32(stamp)
            count += 1
        }
        if let stamp = observation.absoluteTimeStamp {
            attributes.u16(IntelliVueNomenclature.absoluteTimeStampAttribute)
            attributes.lengthPrefixed(stamp.bytes)
            count += 1
        }
        var writer = IntelliVueByteWriter()
        writer.u16(observation.handle)
        writer.u16(count)
        writer.lengthPrefixed(attributes.bytes)
        return writer.bytes
    }
}
