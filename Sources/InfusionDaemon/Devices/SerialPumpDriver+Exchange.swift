import InfusionCore

/// One request and its reply on the wire: send, wait with a timeout, retry once, re-send when the
/// dialect says the pump did not carry the command out, and tell a late or unsolicited reply from
/// the one expected.
extension SerialPumpDriver {
    /// How one waiting exchange ended.
    enum WaitOutcome: Sendable {
        case reply(Dialect.Reply)
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

    /// Sends `command` and returns the pump's reply that fits it, after at most one retry on timeout
    /// and the re-sends the dialect asks for (`PumpDialect.resend`).
    /// - Throws: `.notConfirmed` when no fitting reply came after the retry, `.failed` when the
    ///   command's numbers cannot be written, `.linkDown` when the port is gone.
    func exchange(_ command: Dialect.Command) async throws(PumpDriverFailure) -> Dialect.Reply {
        let name = dialect.describe(command)
        guard let bytes = dialect.encoded(command) else { throw .failed("\(name) cannot be written for the pump") }
        let shape = ReplyShape(command)
        var attempts = 0
        var alarmResends = 0
        while true {
            discardUnclaimedReplies()
            attempts += 1
            try await send(bytes)
            switch await awaitReply(shape: shape) {
            case .linkDown:
                throw .linkDown("\(link.path) is gone")
            case .timedOut:
                // A half-received reply would otherwise prefix the next one.
                dialect.resetDecoder()
                guard attempts < 2 else { throw .notConfirmed("no valid reply to \(name) after a retry") }
                logger.notice("no reply, retrying", metadata: ["command": "\(name)"])
            case .reply(let reply):
                switch dialect.resend(after: reply, canRetry: attempts < 2, alarmResends: alarmResends) {
                case nil:
                    return reply
                case .afterAlarm(let settle):
                    alarmResends += 1
                    attempts -= 1
                    try? await Task.sleep(for: settle)
                case .damagedRequest:
                    logger.notice("pump received the command damaged, sending it again", metadata: ["command": "\(name)"])
                }
            }
        }
    }

    /// Sends each command in turn; a refusal is `.failed`, as the pump did not carry it out.
    func carryOut(_ commands: [Dialect.Command]) async throws(PumpDriverFailure) {
        for command in commands {
            let reply = try await exchange(command)
            if let refusal = Dialect.refusal(in: reply) {
                throw .failed("pump refused \(dialect.describe(command)): \(refusal)")
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
        let timeout = dialect.settings.replyTimeout
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
        let decoding = dialect.decode(bytes)
        damagedReplyCount += decoding.damage.count
        for damage in decoding.damage {
            logger.debug("damaged reply from pump", metadata: ["damage": "\(damage)"])
        }
        for reply in decoding.replies {
            latchedAlarms.formUnion(Dialect.alarms(in: reply))
            if let current = waiter, current.shape.fits(reply) {
                waiter = nil
                current.timer.cancel()
                current.continuation.resume(returning: .reply(reply))
            } else if inbox.count < 16 {
                inbox.append(reply)
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
}
