/// One reply from an NE-1000: `<addr:2><status>[data]` inside either framing.
public struct NewEraReply: Hashable, Sendable {
    /// What follows the status.
    public enum Body: Hashable, Sendable {
        /// The answer to a query (empty for commands that only return status). Alarm replies
        /// always have an empty payload.
        case payload(String)
        /// `?`, `?NA`, `?OOR`, `?COM`, `?IGN`.
        case error(NewEraError)
    }

    /// The replying pump's address, 0–99.
    public var address: UInt8
    public var status: NewEraStatus
    public var body: Body
    /// How the reply was (or is to be) framed; a host that sees safe framing knows the pump is in safe mode.
    public var framing: NewEraFraming

    public init(address: UInt8, status: NewEraStatus, body: Body = .payload(""), framing: NewEraFraming = .basic) {
        self.address = address
        self.status = status
        self.body = body
        self.framing = framing
    }

    /// The payload, or nil for an error reply.
    public var payload: String? {
        if case .payload(let text) = body { return text }
        return nil
    }

    /// The error, if the pump rejected the command.
    public var error: NewEraError? {
        if case .error(let error) = body { return error }
        return nil
    }

    /// The alarm, if the reply reports one. Such a reply acknowledges the alarm, and the command it
    /// answers was not executed: send it again.
    public var alarm: NewEraAlarm? {
        if case .alarm(let alarm) = status { return alarm }
        return nil
    }

    /// The reply's data field: two-digit address, status, then payload or error.
    /// - Precondition: `address` ≤ 99.
    public var text: String {
        let tens = Character(Unicode.Scalar(UInt8(0x30) + address / 10 % 10))
        let ones = Character(Unicode.Scalar(UInt8(0x30) + address % 10))
        var text = String([tens, ones, status.character])
        if case .alarm(let alarm) = status {
            text += "?" + alarm.rawValue
            return text
        }
        switch body {
        case .payload(let payload): text += payload
        case .error(let error): text += "?" + error.rawValue
        }
        return text
    }

    /// The reply framed for the wire.
    public var encoded: [UInt8] { framing.replyBytes(text) }

    /// Parses a reply's data field; nil when it is not `<digit><digit><status>...` in printable ASCII.
    public init?(data: some Collection<UInt8>, framing: NewEraFraming) {
        let bytes = Array(data)
        guard bytes.count >= 3, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
            let tens = PumpASCII.digit(bytes[0]), let ones = PumpASCII.digit(bytes[1])
        else { return nil }
        let rest = String(decoding: bytes[3...], as: UTF8.self)
        self.address = UInt8(tens * 10 + ones)
        self.framing = framing
        let statusCharacter = Character(Unicode.Scalar(bytes[2]))
        if statusCharacter == "A" {
            guard rest.count == 2, rest.first == "?", let letter = rest.last,
                let alarm = NewEraAlarm(rawValue: String(letter))
            else { return nil }
            self.status = .alarm(alarm)
            self.body = .payload("")
            return
        }
        guard let status = NewEraStatus(stateCharacter: statusCharacter) else { return nil }
        self.status = status
        if rest.first == "?" {
            guard let error = NewEraError(rawValue: String(rest.dropFirst())) else { return nil }
            self.body = .error(error)
        } else {
            self.body = .payload(rest)
        }
    }
}
