package import InfusionCore
package import Logging

/// A syringe pump behind a serial port (`PumpDriver`), for any family with a `PumpDialect`.
///
/// At open the driver sends the dialect's opening commands (NE-1000: arm safe mode), then programs
/// the syringe diameter when the pump is idle; a pump already infusing (the daemon restarted during
/// an infusion) cannot change it, so it must already read the configured one. `setSyringe` changes
/// it while the pump is still; every start reads it back first and refuses to run on another one,
/// and every read-back of a still pump reports it (with the family's rate range for it). Where the pump has a
/// dead-man timer the driver keeps it fed with a status query whenever the link has been quiet for
/// the dialect's `keepAliveInterval`.
///
/// Every state-changing command is followed by a read-back (rate and volume, whose replies carry
/// the state) compared with what was commanded. Each exchange waits `replyTimeout` and retries
/// once: no fitting reply after the retry is `.notConfirmed` (the pump may have acted), a refusal or
/// a value that cannot be written is `.failed` (it certainly did not). Alarms seen on the way are
/// reported once, in the next observation returned.
///
/// One command at a time is on the wire; concurrent calls wait their turn.
package actor SerialPumpDriver<Dialect: PumpDialect>: PumpDriver {
    package typealias ReplyShape = PumpReplyShape<Dialect>

    let link: SerialLink
    let clock: @Sendable () -> MonotonicInstant
    let logger: Logger
    var dialect: Dialect
    /// Replies that arrived while nobody waited; discarded before the next send.
    var inbox: [Dialect.Reply] = []
    var waiter: ReplyWaiter?
    var nextWaiterIdentifier = 0
    var isLinkDown = false
    var isClosed = false
    /// Alarms seen since the last observation was returned.
    var latchedAlarms: Set<PumpAlarm> = []
    /// The rate last confirmed by a read-back; later read-backs of a running pump must still show it.
    var confirmedRate: PumpSetting<Dialect.Command>?
    /// The syringe diameter last set and read back, mm: checked again before every start.
    var confirmedDiameter: Double?
    /// The phase target the core last set, on the pump's infused counter (mL).
    var phaseTarget: Double?
    /// Per-phase dialects: the infused counter when the running phase began (its RUN out of stopped).
    var phaseStartCounter: Double?
    /// When the last command went out, for the keep-alive.
    var lastSend = ContinuousClock.now
    private var isBusy = false
    private var turnQueue: [CheckedContinuation<Void, Never>] = []
    private var readerTask: Task<Void, Never>?
    private var keepAliveTask: Task<Void, Never>?
    /// Frames or replies that arrived damaged, since open.
    package internal(set) var damagedReplyCount = 0
    /// Replies that arrived when none was expected (late replies to timed-out commands, unsolicited
    /// alarms), since open.
    package internal(set) var unexpectedReplyCount = 0

    /// The driver runs on its chair's pump executor thread, at the safety paths' priority, not on the shared
    /// pool: a command's way to the wire waits for no other work (`PumpExecutor`).
    package nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// The chair's pump executor when opened by the supervisor, otherwise one of the driver's own.
    private nonisolated let executor = PumpExecutor.current ?? PumpExecutor()

    /// Opens the port at `path` (at the family's factory line settings unless told otherwise) and
    /// sets the pump up (opening commands, syringe). Throws `.linkDown` when the port cannot be
    /// opened, or the failure of the set-up exchange.
    package static func open(
        path: String, line: SerialLineSettings = .factoryDefault(for: Dialect.family), settings: Dialect.Settings,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger
    ) async throws(PumpDriverFailure) -> SerialPumpDriver<Dialect> {
        let link: SerialLink
        do {
            link = try await SerialLink.open(path: path, settings: line, logger: logger)
        } catch {
            throw .linkDown(error.description)
        }
        var pumpLogger = logger
        pumpLogger[metadataKey: "pump"] = "\(path)"
        let driver = SerialPumpDriver(link: link, dialect: Dialect(settings: settings), clock: clock, logger: pumpLogger)
        do {
            try await driver.begin()
        } catch {
            await driver.close()
            throw error
        }
        return driver
    }

    private init(link: SerialLink, dialect: Dialect, clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger) {
        self.link = link
        self.dialect = dialect
        self.clock = clock
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
        case .clearVolume: return try await clearVolume()
        case .setSyringe(let diameter): return try await setSyringe(diameterMillimetres: diameter)
        case .setTarget(let target): return try await setTarget(infusedMillilitres: target)
        }
    }

    package func poll() async throws(PumpDriverFailure) -> PumpObservation {
        try await takeTurn()
        defer { passTurn() }
        return try await readBack()
    }

    /// Closes the link. The pump keeps doing what it was doing; a pump-side dead-man timer stays
    /// armed, so a pump left running by a silent daemon stops by itself where it has one.
    package func close() async {
        guard !isClosed else { return }
        isClosed = true
        keepAliveTask?.cancel()
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
        try await carryOut(dialect.openingCommands)
        dialect.openingCommandsAccepted()
        try await programSyringe()
        if let interval = dialect.keepAliveInterval { startKeepAlive(every: interval) }
    }

    private func startReading() {
        readerTask = Task {
            for await chunk in link.inbound {
                received(chunk)
            }
            linkEnded()
        }
    }

    private func startKeepAlive(every interval: Duration) {
        keepAliveTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 4)
                await keepAliveIfQuiet(for: interval)
            }
        }
    }

    /// A status query when nobody is on the wire and nothing went out for `interval`. Its failure is
    /// only logged: the next real call meets the same link and reports it.
    private func keepAliveIfQuiet(for interval: Duration) async {
        guard !isClosed, !isLinkDown, !isBusy, ContinuousClock.now - lastSend >= interval else { return }
        do {
            try await takeTurn()
            defer { passTurn() }
            _ = try await exchange(Dialect.statusQuery)
        } catch {
            logger.notice("keep-alive status query failed", metadata: ["failure": "\(error)"])
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
