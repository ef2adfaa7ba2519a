package import InfusionCore
package import Logging
internal import Synchronization

/// A patient monitor behind a serial port (`MonitorDriver`), for any family with a
/// `MonitorHostSession`.
///
/// Readings are dated with the injected clock at the moment their bytes arrived and delivered as
/// they come; where the protocol dates a value itself (IntelliVue numerics' measurement time
/// stamps) the session dates it that much earlier and passes each measurement on once, so a cuff
/// reading the monitor repeats every second is one reading of its true age. The driver never
/// invents a reading.
///
/// The reading path is synchronous (a `SerialLinkReceiver`): each opened link's reader thread begins
/// a fresh session on it, then decodes the bytes it reads and hands the resulting events to the sink
/// before it reads again, writing whatever the session answers (IntelliVue polls) itself. No task and
/// no stream lies between a frame on the wire and the sink (`MonitorEventSink` states the threading
/// contract). Tasks remain only for the timers, the wait for a link's end and the reopen loop.
///
/// Liveness: the link is reported up with the first reading after each (re)open or silence, and
/// down when
/// - no reading has arrived for `linkLostAfter` although the port is open (a hung monitor, a cable
///   broken in one direction, an IntelliVue that stopped sending numerics), checked the moment the
///   newest reading turns that old (not by polling: an idle monitor costs no wake-ups between readings);
/// - the protocol's own dialogue stops readings (`MonitorHostSession.isReadyForReadings`: an
///   IntelliVue association refused, aborted or released), at once;
/// - the port reports end of file or an error.
/// The core raises `monitorLinkLost` while the link is down. After a silence the session may send
/// something to restart its dialogue (`restartAfterSilence`). Sessions with a `tickInterval`
/// (IntelliVue) are ticked by a timer task while the link is open. After a port loss the driver keeps
/// reopening the path every `reopenInterval` (a USB adapter that comes back appears at the same udev
/// path), so the driver delivers until `close()`, which sends the session's farewell (IntelliVue: the
/// release request) before closing the port.
///
/// Locking: `state` holds everything mutable. Whatever changes the session or the link's standing
/// (beginning a session, received bytes, a tick, the silence check, the end of a link, `close()`) takes `delivery` first, then
/// `state` to update the session, and delivers the events and writes the session's answer after
/// leaving `state` but before leaving `delivery`. So events of one driver reach the sink one at a
/// time and in the order the session produced them, bytes reach the port in the session's order, and
/// once `close()` has marked the driver closed no delivery is in progress or starts. `delivery` is
/// never taken while `state` is held.
package final class SerialMonitorDriver<Session: MonitorHostSession>: MonitorDriver {
    private struct State: ~Copyable {
        var session: Session
        /// The link being served; nil between a loss and the next open.
        var link: SerialLink?
        /// Counts opened links, so a late call from a link or timer of an earlier one changes nothing.
        var generation = 0
        /// Whether the link of `generation` is set up: a fresh session begun on it, by its reader thread.
        var isAttached = false
        var isLinkUp = false
        /// When the last reading arrived, on `clock`; nil before the first on this link.
        var lastReadingAt: MonotonicInstant?
        var isClosed = false
        /// Whether `close()` has finished; the waiters of `waitUntilClosed` wait for it.
        var hasFinishedClosing = false
        var closeWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextCloseWaiter = 0
        /// The reopen loop, which serves each link in turn.
        var runTask: Task<Void, Never>?
    }

    /// What one change of state asks for once `state` is released: events for the sink, bytes for the
    /// port, and why the link went down, for the log.
    private struct Delivery {
        var events: [MonitorEvent] = []
        var transmit: [UInt8] = []
        var link: SerialLink?
        var linkDownReason: String?
    }

    private let state: Mutex<State>
    private let delivery = Mutex(())
    private let sink: MonitorEventSink
    private let path: String
    private let line: SerialLineSettings
    private let reopenInterval: Duration
    private let linkLostAfter: Duration
    private let makeSession: @Sendable () -> Session
    private let clock: @Sendable () -> MonotonicInstant
    private let logger: Logger

    /// Opens `path` and starts reading; events go to `sink` (see `MonitorEventSink`). Throws when the
    /// port cannot be opened the first time; later losses are retried by the driver itself.
    /// `linkLostAfter` must be positive.
    package static func open(
        path: String, line: SerialLineSettings, reopenInterval: Duration, linkLostAfter: Duration,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger,
        makeSession: @escaping @Sendable () -> Session, sink: @escaping MonitorEventSink
    ) async throws(SerialPortError) -> SerialMonitorDriver<Session> {
        let driver = SerialMonitorDriver(
            path: path, line: line, reopenInterval: reopenInterval, linkLostAfter: linkLostAfter, clock: clock,
            logger: logger, makeSession: makeSession, sink: sink)
        // Not closed yet, so the link is there.
        if let first = try await driver.openLink() { driver.run(startingWith: first) }
        return driver
    }

    private init(
        path: String, line: SerialLineSettings, reopenInterval: Duration, linkLostAfter: Duration,
        clock: @escaping @Sendable () -> MonotonicInstant, logger: Logger, makeSession: @escaping @Sendable () -> Session,
        sink: @escaping MonitorEventSink
    ) {
        self.path = path
        self.line = line
        self.reopenInterval = reopenInterval
        self.linkLostAfter = linkLostAfter
        self.clock = clock
        var logger = logger
        logger[metadataKey: "monitor"] = "\(path)"
        self.logger = logger
        self.makeSession = makeSession
        self.sink = sink
        state = Mutex(State(session: makeSession()))
    }

    /// No supported family's protocol can start a cuff measurement (see each session's
    /// `bloodPressureStartRefusal`), so this always throws `.notSupportedByProtocol` with the reason;
    /// the monitor's own NIBP cycle applies.
    package func startBloodPressureMeasurement() async throws(MonitorCommandRefusal) {
        throw Session.bloodPressureStartRefusal
    }

    package func close() async {
        // Under `delivery`: a delivery in progress ends first, and none starts after `isClosed`.
        let closing: (link: SerialLink?, farewell: [UInt8], runTask: Task<Void, Never>?)? = delivery.withLock { _ in
            state.withLock { state in
                guard !state.isClosed else { return nil }
                state.isClosed = true
                let farewell = state.link != nil && state.isAttached ? state.session.end(at: clock()) : []
                return (state.link, farewell, state.runTask)
            }
        }
        guard let closing else {
            await waitUntilClosed()
            return
        }
        if let link = closing.link {
            if !closing.farewell.isEmpty { try? link.writeNow(closing.farewell) }
            await link.close()
        }
        closing.runTask?.cancel()
        await closing.runTask?.value
        let waiters = state.withLock { state in
            state.hasFinishedClosing = true
            defer { state.closeWaiters = [:] }
            return Array(state.closeWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    package func waitUntilClosed() async {
        let id = state.withLock { state in
            defer { state.nextCloseWaiter += 1 }
            return state.nextCloseWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.hasFinishedClosing || Task.isCancelled { return true }
                    state.closeWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.closeWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    // MARK: - Links

    /// Opens the port as a new generation, whose reader thread sets the link up (`attach`) and decodes
    /// what it reads (`receive`). Nil when the driver was closed meanwhile (the link is closed again).
    private func openLink() async throws(SerialPortError) -> (link: SerialLink, generation: Int)? {
        let generation = state.withLock { state in
            state.generation += 1
            state.isAttached = false
            return state.generation
        }
        let receiver = SerialLinkReceiver(
            start: { [self] link in attach(link, generation: generation) },
            receive: { [self] bytes in receive(bytes, generation: generation) })
        let link = try await SerialLink.open(path: path, settings: line, logger: logger, receiver: receiver)
        // Stored here as well as by `attach`, so `close()` finds the link whichever comes first.
        let isClosed = state.withLock { state in
            guard !state.isClosed else { return true }
            state.link = link
            return false
        }
        guard !isClosed else {
            await link.close()
            return nil
        }
        return (link, generation)
    }

    private func run(startingWith first: (link: SerialLink, generation: Int)) {
        let task = Task {
            var next: (link: SerialLink, generation: Int)? = first
            while !isClosed {
                if let current = next {
                    await serve(current.link, generation: current.generation)
                    next = nil
                } else {
                    try? await Task.sleep(for: reopenInterval)
                    guard !isClosed else { break }
                    next = try? await openLink()
                }
            }
        }
        state.withLock { $0.runTask = task }
    }

    private var isClosed: Bool { state.withLock { $0.isClosed } }

    /// Runs one open link until it ends. The reader thread does the work; this only runs the link's
    /// timers and waits for its end.
    private func serve(_ current: SerialLink, generation: Int) async {
        // Every session of a family has the same interval; the link's own may not be made yet.
        var timers = [startWatchingForSilence(generation: generation)]
        if let interval = state.withLock({ $0.session.tickInterval }) {
            timers.append(startTicking(every: interval, generation: generation))
        }
        // With a receiver the stream carries no bytes: it ends when the link is down.
        for await _ in current.inbound {}
        for timer in timers { timer.cancel() }
        changeAndDeliver { state, delivery in
            guard state.generation == generation else { return }
            state.link = nil
            state.isAttached = false
            if state.isLinkUp, !state.isClosed {
                reportLinkDown(because: "port closed or gone", in: &state, &delivery)
            }
        }
        await current.close()
        if !isClosed { logger.warning("monitor port lost; reopening") }
    }

    // MARK: - Work on the reader thread and the timers

    /// The reader thread's first act: a fresh session, begun on the new link.
    private func attach(_ link: SerialLink, generation: Int) {
        changeAndDeliver { state, delivery in
            guard !state.isClosed, state.generation == generation else { return }
            state.link = link
            state.session = makeSession()
            state.lastReadingAt = nil
            state.isAttached = true
            delivery.link = link
            delivery.transmit = state.session.begin(at: clock())
        }
    }

    /// The reader thread's handler: decodes `bytes` and delivers what they bring.
    private func receive(_ bytes: [UInt8], generation: Int) {
        changeAndDeliver { state, delivery in
            guard !state.isClosed, state.generation == generation, state.isAttached else { return }
            absorb(state.session.receive(bytes, at: clock()), into: &state, &delivery)
        }
    }

    /// Watches for silence with one wake-up per `linkLostAfter` rather than a poll: it sleeps until the newest
    /// reading would be that old and checks then (a later reading moves the check on); while no link is up it
    /// looks again after `linkLostAfter`.
    private func startWatchingForSilence(generation: Int) -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                let untilNextCheck = checkForSilence(generation: generation)
                try? await Task.sleep(for: untilNextCheck)
            }
        }
    }

    /// Reports the link down when no reading has come for `linkLostAfter` with the port open, and lets
    /// the session restart its dialogue; once per silence (the next reading brings the link up). Returns how
    /// long until the next check is due.
    private func checkForSilence(generation: Int) -> Duration {
        changeAndDeliver { state, delivery in
            guard !state.isClosed, state.generation == generation, state.isAttached, state.isLinkUp,
                let last = state.lastReadingAt
            else { return linkLostAfter }
            let now = clock()
            let age = now - last
            // Just past the moment the newest reading turns `linkLostAfter` old.
            guard age > linkLostAfter else { return linkLostAfter - age + .milliseconds(1) }
            reportLinkDown(because: "no reading for \(linkLostAfter) with the port open", in: &state, &delivery)
            delivery.link = state.link
            delivery.transmit += state.session.restartAfterSilence(at: now)
            return linkLostAfter
        }
    }

    private func startTicking(every interval: Duration, generation: Int) -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                changeAndDeliver { state, delivery in
                    guard !state.isClosed, state.generation == generation, state.isAttached else { return }
                    absorb(state.session.tick(at: clock()), into: &state, &delivery)
                }
            }
        }
    }

    // MARK: - Delivery

    /// Runs `change` under both locks, then, still holding `delivery`, hands its events to the sink in
    /// order and writes its bytes (a failed write means the link is going down; the reader sees the
    /// end and reports it).
    @discardableResult
    private func changeAndDeliver<Result: Sendable>(_ change: (inout State, inout Delivery) -> Result) -> Result {
        delivery.withLock { _ in
            var work = Delivery()
            let result = state.withLock { state in change(&state, &work) }
            if let reason = work.linkDownReason { logger.warning("monitor link down", metadata: ["reason": "\(reason)"]) }
            if !work.events.isEmpty { sink(work.events) }
            if !work.transmit.isEmpty, let link = work.link { try? link.writeNow(work.transmit) }
            return result
        }
    }

    /// Takes in what the session made of an input: readings bring the link up, a session that stopped
    /// readings takes it down, and its answer is to be written to the link.
    private func absorb(_ output: MonitorSessionOutput, into state: inout State, _ delivery: inout Delivery) {
        for report in output.reports {
            state.lastReadingAt = clock()
            if !state.isLinkUp {
                state.isLinkUp = true
                delivery.events.append(.link(isUp: true))
            }
            for vital in report.vitals { delivery.events.append(.vital(vital)) }
        }
        if state.isLinkUp, !state.session.isReadyForReadings {
            reportLinkDown(because: "the monitor's session ended (association lost)", in: &state, &delivery)
        }
        delivery.link = state.link
        delivery.transmit += output.transmit
    }

    private func reportLinkDown(because reason: String, in state: inout State, _ delivery: inout Delivery) {
        state.isLinkUp = false
        delivery.events.append(.link(isUp: false))
        delivery.linkDownReason = reason
    }
}
