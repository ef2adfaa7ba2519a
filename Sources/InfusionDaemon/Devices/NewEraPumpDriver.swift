import DeviceProtocols
package import InfusionCore
package import Logging

/// A New Era NE-1000 family pump behind a serial port, in domain terms (`PumpDriver`).
///
/// At open the driver arms NE safe mode with `NewEraDriverSettings.safeModeTimeoutSeconds` (sent
/// safe-framed, which the pump understands in either mode, as nesp-lib does), programs the syringe
/// diameter when the pump is idle, and from then on keeps the pump's dead-man timer fed with a status
/// query whenever it has been idle for `heartbeatInterval`. If the daemon dies or goes silent, the
/// pump stops itself and raises `A?T`.
///
/// Every state-changing command is followed by a read-back (`RAT` and `DIS`, whose replies carry the
/// status) compared with what was commanded. Each exchange waits `replyTimeout` and retries once;
/// a reply reporting an alarm acknowledges it and the command is sent again (device-protocols.md §1:
/// the command that received the alarm was not executed). Alarms seen on the way, including the
/// pump's unsolicited Auto-Alarm packets, are reported once in the next observation returned.
///
/// One command at a time is on the wire; concurrent calls wait their turn.
package actor NewEraPumpDriver: PumpDriver {
    let link: SerialLink
    let settings: NewEraDriverSettings
    let clock: @Sendable () -> MonotonicInstant
    let logger: Logger
    var framing: NewEraFraming = .safe
    var decoder = NewEraReplyDecoder()
    /// Replies that arrived while nobody waited; looked at (and discarded) before the next send.
    var inbox: [NewEraReply] = []
    var waiter: ReplyWaiter?
    var nextWaiterIdentifier = 0
    var isLinkDown = false
    var isClosed = false
    /// Alarms seen since the last observation was returned.
    var latchedAlarms: Set<PumpAlarm> = []
    /// The rate last confirmed by a read-back; later read-backs must still show it.
    var confirmedRate: NewEraNumber?
    var lastSend = ContinuousClock.now
    private var isBusy = false
    private var turnQueue: [CheckedContinuation<Void, Never>] = []
    private var readerTask: Task<Void, Never>?
    private var heartbeatTask: Task<Void, Never>?
    /// Frames that failed their checksum or framing, since open.
    package internal(set) var damagedFrameCount = 0
    /// Replies that arrived when none was expected (late replies, unsolicited alarms), since open.
    package internal(set) var unexpectedReplyCount = 0

    /// Read-backs agree with the command when they differ by less than half of the pump's finest
    /// printed step (three decimals, device-protocols.md §1 "Number format").
    static let readBackResolution = 0.0005

    /// Opens the port at `path`, arms safe mode and programs the syringe. Throws `.linkDown` when
    /// the port cannot be opened, or the failure of the set-up exchange.
    package static func open(
        path: String, line: SerialLineSettings = .newEra, settings: NewEraDriverSettings,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger
    ) async throws(PumpDriverFailure) -> NewEraPumpDriver {
        let link: SerialLink
        do {
            link = try await SerialLink.open(path: path, settings: line, logger: logger)
        } catch {
            throw .linkDown(error.description)
        }
        let driver = NewEraPumpDriver(link: link, settings: settings, clock: clock, logger: logger)
        do {
            try await driver.begin()
        } catch {
            await driver.close()
            throw error
        }
        return driver
    }

    init(link: SerialLink, settings: NewEraDriverSettings, clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger) {
        self.link = link
        self.settings = settings
        self.clock = clock
        var logger = logger
        logger[metadataKey: "pump"] = "\(link.path)"
        self.logger = logger
    }

    package func perform(_ command: PumpCommand) async throws(PumpDriverFailure) -> PumpObservation {
        try await takeTurn()
        defer { passTurn() }
        switch command {
        case .setRate(let rate): return try await setRate(rate)
        case .start: return try await start()
        case .pause: return try await pause()
        case .stop: return try await stop()
        }
    }

    package func poll() async throws(PumpDriverFailure) -> PumpObservation {
        try await takeTurn()
        defer { passTurn() }
        return try await readBack()
    }

    package func close() async {
        guard !isClosed else { return }
        isClosed = true
        heartbeatTask?.cancel()
        await link.close()
        await readerTask?.value
        for waiting in turnQueue { waiting.resume() }
        turnQueue.removeAll()
    }

    // MARK: Set-up and keep-alive

    private func begin() async throws(PumpDriverFailure) {
        startReading()
        try await takeTurn()
        defer { passTurn() }
        let armed = try await exchange(.setSafeModeTimeout(settings.safeModeTimeoutSeconds))
        if let error = armed.error { throw .failed("pump refused SAF\(settings.safeModeTimeoutSeconds): \(error)") }
        framing = settings.safeModeTimeoutSeconds == 0 ? .basic : .safe
        try await programSyringe()
        if settings.safeModeTimeoutSeconds > 0 { startHeartbeat() }
    }

    /// Sets the diameter when the pump is idle; when it is already moving (the daemon restarted
    /// during an infusion) the diameter cannot change, so it must already be the configured one.
    private func programSyringe() async throws(PumpDriverFailure) {
        guard let diameter = NewEraNumber(rounding: settings.syringeDiameterMillimetres) else {
            throw .failed("syringe diameter \(settings.syringeDiameterMillimetres) mm cannot be sent to the pump")
        }
        let status = try await exchange(.status)
        if status.status.runState != .infusing {
            let reply = try await exchange(.setDiameter(diameter))
            if let error = reply.error { throw .failed("pump refused DIA\(diameter.text): \(error)") }
        }
        let readBack = try await exchange(.queryDiameter)
        guard let observed = readBack.payload.flatMap(NewEraReplyValues.number),
            abs(observed - diameter.value) < Self.readBackResolution
        else {
            throw .failed("pump syringe diameter reads \(readBack.payload ?? "?"), configured \(diameter.text) mm")
        }
    }

    private func startReading() {
        readerTask = Task {
            for await chunk in link.inbound {
                received(chunk)
            }
            linkEnded()
        }
    }

    private func startHeartbeat() {
        let interval = settings.heartbeatInterval
        heartbeatTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 4)
                await heartbeatIfIdle(interval: interval)
            }
        }
    }

    private func heartbeatIfIdle(interval: Duration) async {
        guard !isClosed, !isLinkDown, !isBusy, ContinuousClock.now - lastSend >= interval else { return }
        do {
            try await takeTurn()
            defer { passTurn() }
            _ = try await exchange(.status)
        } catch {
            logger.notice("safe-mode heartbeat failed", metadata: ["failure": "\(error)"])
        }
    }

    // MARK: Turn-taking

    /// Waits until no other call is on the wire. Throws `.linkDown` once closed or disconnected.
    private func takeTurn() async throws(PumpDriverFailure) {
        try ensureUsable()
        if isBusy {
            await withCheckedContinuation { turnQueue.append($0) }
            do {
                try ensureUsable()
            } catch {
                passTurn()
                throw error
            }
        }
        isBusy = true
    }

    private func passTurn() {
        if turnQueue.isEmpty {
            isBusy = false
        } else {
            turnQueue.removeFirst().resume()
        }
    }

    func ensureUsable() throws(PumpDriverFailure) {
        if isClosed { throw .linkDown("driver closed") }
        if isLinkDown { throw .linkDown("\(link.path) is gone") }
    }
}
