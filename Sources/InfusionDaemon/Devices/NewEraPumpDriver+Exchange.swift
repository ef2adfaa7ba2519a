import DeviceProtocols
import InfusionCore

/// One request and its reply on the wire: send, wait with a timeout, retry once, re-send after an
/// alarm acknowledgement, and tell a late or unsolicited reply from the one expected.
extension NewEraPumpDriver {
    /// How one waiting exchange ended.
    enum WaitOutcome: Sendable {
        case reply(NewEraReply)
        case timedOut
        case linkDown
    }

    /// The exchange waiting for its reply.
    struct ReplyWaiter {
        var identifier: Int
        var shape: ReplyShape
        var continuation: CheckedContinuation<WaitOutcome, Never>
        var timer: Task<Void, Never>
    }

    /// What the reply to a command looks like, so that a late reply to an earlier query (after a
    /// timeout) is not taken for the answer to another kind of command. Replies carrying only a
    /// status look alike, so a late one can still stand in for another; the read-back that follows
    /// every state change is what catches its consequences. An alarm or error reply fits every command.
    enum ReplyShape: Sendable {
        case rate, dispensed, number, empty

        init(_ command: NewEraCommand) {
            switch command {
            case .queryRate: self = .rate
            case .queryDispensed: self = .dispensed
            case .queryDiameter: self = .number
            default: self = .empty
            }
        }

        func fits(_ reply: NewEraReply) -> Bool {
            guard reply.alarm == nil, let payload = reply.payload else { return true }
            switch self {
            case .rate: return NewEraReplyValues.rate(payload) != nil
            case .dispensed: return NewEraReplyValues.dispensed(payload) != nil
            case .number: return NewEraReplyValues.number(payload) != nil
            case .empty: return payload.isEmpty
            }
        }
    }

    /// How many times a command is re-sent because its reply reported an alarm (each reply
    /// acknowledges one alarm; a new one may be raised while the first is acknowledged).
    static let maximumAlarmResends = 2

    /// Sends `command` and returns the pump's reply: the one that fits it, after at most one retry
    /// on timeout and `maximumAlarmResends` re-sends after alarm replies.
    /// - Throws: `.notConfirmed` when no fitting reply came after the retry, `.linkDown` when the
    ///   port is gone.
    func exchange(_ command: NewEraCommand) async throws(PumpDriverFailure) -> NewEraReply {
        let request = NewEraRequest(address: settings.address, command: command)
        let shape = ReplyShape(command)
        var attempts = 0
        var alarmResends = 0
        while true {
            discardUnclaimedReplies()
            attempts += 1
            try await send(request.encoded(framing))
            switch await awaitReply(shape: shape) {
            case .linkDown:
                throw .linkDown("\(link.path) is gone")
            case .timedOut:
                decoder.reset()
                guard attempts < 2 else {
                    throw .notConfirmed("no valid reply to \(Self.describe(request)) after a retry")
                }
                logger.notice("no reply, retrying", metadata: ["command": "\(Self.describe(request))"])
            case .reply(let reply):
                if reply.alarm != nil, alarmResends < Self.maximumAlarmResends {
                    // The alarm is now acknowledged and the command was not executed: send it again.
                    alarmResends += 1
                    attempts -= 1
                    try? await Task.sleep(for: settings.alarmSettleDelay)
                    continue
                }
                if reply.error == .invalidPacket, attempts < 2 {
                    // Our packet arrived damaged, so the pump did nothing: safe to send again.
                    continue
                }
                return reply
            }
        }
    }

    /// Replies nobody claimed are late answers to timed-out commands or unsolicited alarms; their
    /// alarms were latched on arrival, the rest is dropped so it cannot answer the next command.
    private func discardUnclaimedReplies() {
        unexpectedReplyCount += inbox.count
        inbox.removeAll()
    }

    private func send(_ bytes: [UInt8]) async throws(PumpDriverFailure) {
        try ensureUsable()
        lastSend = .now
        do {
            try await link.write(bytes)
        } catch {
            throw .linkDown(error.reason)
        }
    }

    private func awaitReply(shape: ReplyShape) async -> WaitOutcome {
        if isLinkDown { return .linkDown }
        // The reply may have come while the write was still being handed over.
        if let index = inbox.firstIndex(where: shape.fits) {
            return .reply(inbox.remove(at: index))
        }
        nextWaiterIdentifier += 1
        let identifier = nextWaiterIdentifier
        let timeout = settings.replyTimeout
        return await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                expireWaiter(identifier)
            }
            waiter = ReplyWaiter(identifier: identifier, shape: shape, continuation: continuation, timer: timer)
        }
    }

    private func expireWaiter(_ identifier: Int) {
        guard let current = waiter, current.identifier == identifier else { return }
        waiter = nil
        current.continuation.resume(returning: .timedOut)
    }

    /// Bytes from the port: decode, latch alarms, hand the reply to the waiting exchange.
    func received(_ bytes: [UInt8]) {
        for output in decoder.decode(bytes) {
            switch output {
            case .damaged(let damage):
                damagedFrameCount += 1
                logger.debug("damaged frame from pump", metadata: ["damage": "\(damage)"])
            case .reply(let reply):
                guard reply.address == settings.address else { continue }
                if let alarm = reply.alarm { latchedAlarms.insert(alarm.pumpAlarm) }
                if let current = waiter, current.shape.fits(reply) {
                    waiter = nil
                    current.timer.cancel()
                    current.continuation.resume(returning: .reply(reply))
                } else if inbox.count < 16 {
                    inbox.append(reply)
                }
            }
        }
    }

    /// The port reported end of file or an error: the device is gone.
    func linkEnded() {
        isLinkDown = true
        if !isClosed { logger.warning("pump link down") }
        if let current = waiter {
            waiter = nil
            current.timer.cancel()
            current.continuation.resume(returning: .linkDown)
        }
    }

    static func describe(_ request: NewEraRequest) -> String {
        let text = request.text
        return text.isEmpty ? "status query" : text
    }
}
