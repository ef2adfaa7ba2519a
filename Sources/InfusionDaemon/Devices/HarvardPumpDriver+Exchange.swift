import DeviceProtocols
import InfusionCore

/// One request and its reply on the wire: send, wait with a timeout, retry once, and tell a late
/// reply from the one expected.
extension HarvardPumpDriver {
    /// How one waiting exchange ended.
    enum WaitOutcome: Sendable {
        case reply(HarvardReply)
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

    /// What the reply to a command looks like. Harvard replies do not echo the command, so this is
    /// all that keeps a late reply to a timed-out query from answering another kind of command.
    /// Prompt-only replies look alike, so a late one can still stand in for another; the read-back
    /// that follows every state change is what catches its consequences. An error reply fits every
    /// command.
    enum ReplyShape: Sendable {
        case rate, volume, diameter, empty

        init(_ command: HarvardCommand) {
            switch command {
            case .queryInfusionRate: self = .rate
            case .queryInfusedVolume: self = .volume
            case .queryDiameter: self = .diameter
            default: self = .empty
            }
        }

        func fits(_ reply: HarvardReply) -> Bool {
            guard reply.error == nil else { return true }
            guard let line = reply.lines.last else { return self == .empty }
            switch self {
            case .rate: return HarvardReplyValues.rate(line) != nil
            case .volume: return HarvardReplyValues.volume(line) != nil
            case .diameter: return HarvardReplyValues.diameter(line) != nil
            case .empty: return false
            }
        }
    }

    /// Sends `command` and returns the pump's reply that fits it, after at most one retry on timeout.
    /// - Throws: `.notConfirmed` when no fitting reply came after the retry, `.failed` when the
    ///   command's numbers cannot be written, `.linkDown` when the port is gone.
    func exchange(_ command: HarvardCommand) async throws(PumpDriverFailure) -> HarvardReply {
        let request = HarvardRequest(address: settings.address, command: command)
        guard let bytes = request.encoded else { throw .failed("\(command) cannot be written for the pump") }
        let shape = ReplyShape(command)
        for attempt in 1...2 {
            discardUnclaimedReplies()
            try await send(bytes)
            switch await awaitReply(shape: shape) {
            case .linkDown:
                throw .linkDown("\(link.path) is gone")
            case .timedOut:
                // A half-received reply would otherwise prefix the next one.
                decoder = HarvardReplyDecoder()
                if attempt == 1 {
                    logger.notice("no reply, retrying", metadata: ["command": "\(Self.describe(command))"])
                }
            case .reply(let reply):
                return reply
            }
        }
        throw .notConfirmed("no valid reply to \(Self.describe(command)) after a retry")
    }

    /// Replies nobody claimed are late answers to timed-out commands; their alarms were latched on
    /// arrival, the rest is dropped so it cannot answer the next command.
    private func discardUnclaimedReplies() {
        unexpectedReplyCount += inbox.count
        inbox.removeAll()
    }

    private func send(_ bytes: [UInt8]) async throws(PumpDriverFailure) {
        try ensureUsable()
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
        for var reply in decoder.decode(bytes) {
            guard reply.address == nil || reply.address == settings.address else { continue }
            if reply.lines.count > 1 {
                // Our commands are answered with at most one data line: earlier lines are what is
                // left of a reply whose prompt was lost on the line.
                damagedReplyCount += 1
                reply.lines.removeFirst(reply.lines.count - 1)
            }
            latchedAlarms.formUnion(reply.prompt.alarms)
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

    static func describe(_ command: HarvardCommand) -> String {
        guard let text = command.text else { return "\(command)" }
        return text.isEmpty ? "prompt query" : text
    }
}
