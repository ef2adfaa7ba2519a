package import InfusionCore
package import Logging

/// A patient monitor behind a serial port (`MonitorDriver`), for any family with a
/// `MonitorHostSession`.
///
/// Readings are dated with the injected clock at the moment their bytes arrived and streamed as
/// they come; where the protocol dates a value itself (IntelliVue numerics' measurement time
/// stamps) the session dates it that much earlier and passes each measurement on once, so a cuff
/// reading the monitor repeats every second is one reading of its true age. The driver never
/// invents a reading.
///
/// Liveness: the link is reported up with the first reading after each (re)open or silence, and
/// down when
/// - no reading has arrived for `linkLostAfter` although the port is open (a hung monitor, a cable
///   broken in one direction, an IntelliVue that stopped sending numerics), checked every quarter of
///   that time and at least every 250 ms;
/// - the protocol's own dialogue stops readings (`MonitorHostSession.isReadyForReadings`: an
///   IntelliVue association refused, aborted or released), at once;
/// - the port reports end of file or an error.
/// The core raises `monitorLinkLost` while the link is down. After a silence the session may send
/// something to restart its dialogue (`restartAfterSilence`). After a port loss the driver keeps
/// reopening the path every `reopenInterval` (a USB adapter that comes back appears at the same udev
/// path), so `events` lives until `close()`.
package actor SerialMonitorDriver<Session: MonitorHostSession>: MonitorDriver {
    package nonisolated let events: AsyncStream<MonitorEvent>
    private let continuation: AsyncStream<MonitorEvent>.Continuation
    private let path: String
    private let line: SerialLineSettings
    private let reopenInterval: Duration
    private let linkLostAfter: Duration
    private let makeSession: @Sendable () -> Session
    private let clock: @Sendable () -> MonotonicInstant
    private let logger: Logger
    private var session: Session
    private var link: SerialLink?
    private var isLinkUp = false
    /// When the last reading arrived, on `clock`; nil before the first on this link.
    private var lastReadingAt: MonotonicInstant?
    private var isClosed = false
    private var runTask: Task<Void, Never>?

    /// Opens `path` and starts reading. Throws when the port cannot be opened the first time; later
    /// losses are retried by the driver itself. `linkLostAfter` must be positive.
    package static func open(
        path: String, line: SerialLineSettings, reopenInterval: Duration, linkLostAfter: Duration,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger,
        makeSession: @escaping @Sendable () -> Session
    ) async throws(SerialPortError) -> SerialMonitorDriver<Session> {
        let link = try await SerialLink.open(path: path, settings: line, logger: logger)
        let driver = SerialMonitorDriver(
            path: path, line: line, reopenInterval: reopenInterval, linkLostAfter: linkLostAfter, clock: clock,
            logger: logger, makeSession: makeSession)
        await driver.run(startingWith: link)
        return driver
    }

    private init(
        path: String, line: SerialLineSettings, reopenInterval: Duration, linkLostAfter: Duration,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger, makeSession: @escaping @Sendable () -> Session
    ) {
        (events, continuation) = AsyncStream.makeStream(of: MonitorEvent.self, bufferingPolicy: .bufferingNewest(4096))
        self.path = path
        self.line = line
        self.reopenInterval = reopenInterval
        self.linkLostAfter = linkLostAfter
        self.clock = clock
        var logger = logger
        logger[metadataKey: "monitor"] = "\(path)"
        self.logger = logger
        self.makeSession = makeSession
        session = makeSession()
    }

    /// No supported family's protocol can start a cuff measurement (see each session's
    /// `bloodPressureStartRefusal`), so this always throws `.notSupportedByProtocol` with the reason;
    /// the monitor's own NIBP cycle applies.
    package func startBloodPressureMeasurement() async throws(MonitorCommandRefusal) {
        throw Session.bloodPressureStartRefusal
    }

    package func close() async {
        guard !isClosed else { return }
        isClosed = true
        if let link {
            let farewell = session.end(at: clock())
            if !farewell.isEmpty { try? await link.write(farewell) }
            await link.close()
        }
        runTask?.cancel()
        await runTask?.value
        continuation.finish()
    }

    private func run(startingWith first: SerialLink) {
        runTask = Task {
            var next: SerialLink? = first
            while !isClosed {
                if let current = next {
                    await serve(current)
                    next = nil
                } else {
                    try? await Task.sleep(for: reopenInterval)
                    guard !isClosed else { break }
                    next = try? await SerialLink.open(path: path, settings: line, logger: logger)
                    if isClosed, let opened = next {
                        // Closed while the port was being opened: do not start serving it.
                        await opened.close()
                        next = nil
                    }
                }
            }
        }
    }

    /// Runs one open link until it ends.
    private func serve(_ current: SerialLink) async {
        link = current
        session = makeSession()
        lastReadingAt = nil
        await transmit(session.begin(at: clock()))
        let ticker = startTicking()
        let watchman = startWatchingForSilence()
        for await chunk in current.inbound {
            let output = session.receive(chunk, at: clock())
            await handle(output)
        }
        ticker?.cancel()
        watchman.cancel()
        link = nil
        await current.close()
        if isLinkUp { reportLinkDown(because: "port closed or gone") }
        if !isClosed { logger.warning("monitor port lost; reopening") }
    }

    /// Checks every quarter of `linkLostAfter` (at least every 250 ms) whether the monitor fell silent.
    private func startWatchingForSilence() -> Task<Void, Never> {
        let period = min(linkLostAfter / 4, .milliseconds(250))
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                guard !Task.isCancelled else { return }
                await checkForSilence()
            }
        }
    }

    /// Reports the link down when no reading has come for `linkLostAfter` with the port open, and lets
    /// the session restart its dialogue; once per silence (the next reading brings the link up).
    private func checkForSilence() async {
        let now = clock()
        guard isLinkUp, let last = lastReadingAt, now - last > linkLostAfter else { return }
        reportLinkDown(because: "no reading for \(linkLostAfter) with the port open")
        await transmit(session.restartAfterSilence(at: now))
    }

    private func reportLinkDown(because reason: String) {
        isLinkUp = false
        continuation.yield(.link(isUp: false))
        logger.warning("monitor link down", metadata: ["reason": "\(reason)"])
    }

    private func startTicking() -> Task<Void, Never>? {
        guard let interval = session.tickInterval else { return nil }
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                await handle(session.tick(at: clock()))
            }
        }
    }

    private func handle(_ output: MonitorSessionOutput) async {
        for report in output.reports {
            lastReadingAt = clock()
            if !isLinkUp {
                isLinkUp = true
                continuation.yield(.link(isUp: true))
            }
            for vital in report.vitals {
                continuation.yield(.vital(vital))
            }
        }
        if isLinkUp, !session.isReadyForReadings { reportLinkDown(because: "the monitor's session ended (association lost)") }
        await transmit(output.transmit)
    }

    private func transmit(_ bytes: [UInt8]) async {
        guard !bytes.isEmpty, let link else { return }
        // A failed write means the link is going down; the reader sees the end and reports it.
        try? await link.write(bytes)
    }
}
