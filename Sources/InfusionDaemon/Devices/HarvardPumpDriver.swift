import DeviceProtocols
package import InfusionCore
package import Logging

/// A Harvard Pump 11 Elite / PHD ULTRA behind a serial port, in domain terms (`PumpDriver`).
///
/// Harvard pumps have no safe mode: there is no pump-side dead-man timer, so a pump left running
/// by a daemon that died or went silent keeps infusing until someone stops it. The driver therefore
/// sends no heartbeat, and `close()` leaves the pump as it is; the daemon's own communication-loss
/// rule is the only guard.
///
/// At open the driver programs the syringe diameter when the pump is idle (a running pump cannot
/// change it, so then it must already read the configured one). Every state-changing command is
/// followed by a read-back (`irate` and `ivolume`, whose replies end with the prompt that carries
/// the run state) compared with what was commanded. Each exchange waits `replyTimeout` and retries
/// once. A stalled prompt (`*`) seen on the way is reported in the next observation returned.
///
/// One command at a time is on the wire; concurrent calls wait their turn.
package actor HarvardPumpDriver: PumpDriver {
    let link: SerialLink
    let settings: HarvardDriverSettings
    let clock: @Sendable () -> MonotonicInstant
    let logger: Logger
    var decoder = HarvardReplyDecoder()
    /// Replies that arrived while nobody waited; discarded before the next send.
    var inbox: [HarvardReply] = []
    var waiter: ReplyWaiter?
    var nextWaiterIdentifier = 0
    var isLinkDown = false
    var isClosed = false
    /// Alarms seen since the last observation was returned.
    var latchedAlarms: Set<PumpAlarm> = []
    /// The rate last confirmed by a read-back, mL/h; later read-backs of a running pump must still show it.
    var confirmedRate: Double?
    private var isBusy = false
    private var turnQueue: [CheckedContinuation<Void, Never>] = []
    private var readerTask: Task<Void, Never>?
    /// Replies that were damaged (lines left over from a reply whose prompt was lost), since open.
    package internal(set) var damagedReplyCount = 0
    /// Replies that arrived when none was expected (late replies to timed-out commands), since open.
    package internal(set) var unexpectedReplyCount = 0

    /// Read-backs agree with the command when they differ by less than half of the pump's finest
    /// printed step (four decimals, device-protocols.md §3 example `0.1234 ml`).
    static let readBackResolution = 0.000_05

    /// Opens the port at `path` and programs the syringe. Throws `.linkDown` when the port cannot
    /// be opened, or the failure of the set-up exchange.
    package static func open(
        path: String, line: SerialLineSettings = .harvard, settings: HarvardDriverSettings,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger
    ) async throws(PumpDriverFailure) -> HarvardPumpDriver {
        let link: SerialLink
        do {
            link = try await SerialLink.open(path: path, settings: line, logger: logger)
        } catch {
            throw .linkDown(error.description)
        }
        let driver = HarvardPumpDriver(link: link, settings: settings, clock: clock, logger: logger)
        do {
            try await driver.begin()
        } catch {
            await driver.close()
            throw error
        }
        return driver
    }

    init(link: SerialLink, settings: HarvardDriverSettings, clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger) {
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

    /// Closes the link. The pump keeps doing what it was doing: Harvard pumps have no safe mode.
    package func close() async {
        guard !isClosed else { return }
        isClosed = true
        await link.close()
        await readerTask?.value
        for waiting in turnQueue { waiting.resume() }
        turnQueue.removeAll()
    }

    // MARK: Set-up

    private func begin() async throws(PumpDriverFailure) {
        startReading()
        try await takeTurn()
        defer { passTurn() }
        try await programSyringe()
    }

    /// Sets the diameter when the pump is idle; when it is already moving (the daemon restarted
    /// during an infusion) the diameter cannot change, so it must already be the configured one.
    private func programSyringe() async throws(PumpDriverFailure) {
        let diameter = settings.syringeDiameterMillimetres
        guard diameter > 0, let text = HarvardNumber.text(diameter) else {
            throw .failed("syringe diameter \(diameter) mm cannot be sent to the pump")
        }
        let status = try await exchange(.prompt)
        if status.prompt != .infusing {
            let reply = try await exchange(.setDiameter(diameter))
            if let error = reply.error { throw .failed("pump refused diameter \(text): \(Self.describe(error))") }
        }
        let readBack = try await exchange(.queryDiameter)
        guard let observed = readBack.lines.last.flatMap(HarvardReplyValues.diameter),
            abs(observed - diameter) < Self.readBackResolution
        else {
            throw .failed("pump syringe diameter reads \(readBack.lines.last ?? "?"), configured \(text) mm")
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
