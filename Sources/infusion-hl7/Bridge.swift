import Glibc
import HL7Bridge
import Logging
import WireProtocol

/// The bridge's one loop: reads infusiond's events into a queue, folds them in order through the ``Outbox``,
/// and sends each message to the engine, one outstanding at a time, moving the durable cursor only when the
/// engine has answered (docs/INTEGRATION.md). Single-threaded: `poll` waits on both sockets and the deadlines.
final class Bridge {
    struct Settings {
        var socketPath: String
        var engine: EngineAddress
        var allowRemoteEngine: Bool
        var configuration: BridgeConfiguration
        var sourceName: String
    }

    /// The messages of one event, being delivered.
    private struct InFlight {
        var seq: UInt64
        var messages: [OutboundMessage]
        var next = 0
        /// The fold and the cursor before this event: what is saved while only some of its messages are in.
        var chairsBefore: [String: ChairState]
        var cursorBefore: UInt64
        var attempt = 0
        var sentAt: Double?
        var notBefore = 0.0
        var message: OutboundMessage { messages[next] }
    }

    private let settings: Settings
    private let store: StateStore
    private let log: Logger
    private var state: BridgeState
    private var outbox: Outbox
    private var queue: [DaemonLine] = []
    private var queueHead = 0
    /// The newest `seq` received (queued or handled): the `since` of the next watch.
    private var lastReceived: UInt64
    /// The newest `seq` folded.
    private var lastHandled: UInt64
    private var inFlight: InFlight?
    private var daemon: DaemonLink?
    private var daemonRetryAt = 0.0
    private var daemonFailures = 0
    private var engine: EngineLink?
    private var engineRetryAt = 0.0
    private var engineFailures = 0
    private var firstStart: Bool

    init(settings: Settings, store: StateStore, log: Logger) throws {
        self.settings = settings
        self.store = store
        self.log = log
        let saved = try store.load()
        firstStart = saved == nil
        state = saved ?? BridgeState()
        if firstStart, settings.configuration.firstStart == .journal { state.historyThrough = 0 }
        outbox = Outbox(configuration: settings.configuration, sourceName: settings.sourceName, chairs: state.chairs)
        lastReceived = state.cursor
        lastHandled = state.cursor
        log.info(
            "infusion-hl7 starting",
            metadata: [
                "cursor": "\(state.cursor)", "engine": "\(settings.engine)", "socket": "\(settings.socketPath)",
                "firstStart": "\(firstStart)",
            ])
    }

    func run() -> Never {
        while true {
            let now = Clock.now
            maintainDaemon(now)
            handleQueuedEvents()
            maintainEngine(now)
            sendIfReady(now)
            wait()
            checkAcknowledgementTimeout(Clock.now)
        }
    }

    // MARK: infusiond

    private func maintainDaemon(_ now: Double) {
        guard daemon == nil, now >= daemonRetryAt, queue.count - queueHead < settings.configuration.maximumQueuedEvents / 2
        else { return }
        do {
            daemon = try DaemonLink(path: settings.socketPath, since: lastReceived)
            log.info("connected to infusiond", metadata: ["since": "\(lastReceived)"])
        } catch {
            daemonFailed("cannot connect to infusiond: \(error)")
        }
    }

    private func daemonFailed(_ reason: String) {
        daemon = nil
        daemonFailures += 1
        let configuration = settings.configuration
        var wait = configuration.daemonReconnectInitialSeconds
        for _ in 1..<min(daemonFailures, 30) { wait = min(wait * 2, configuration.daemonReconnectMaximumSeconds) }
        daemonRetryAt = Clock.now + wait
        log.warning("\(reason); reconnecting with since=\(lastReceived) in \(wait) s")
    }

    private func readDaemon() {
        guard let link = daemon else { return }
        let reading: DaemonLink.Reading
        do {
            reading = try link.read(log: log)
        } catch {
            daemonFailed("infusiond connection: \(error)")
            return
        }
        guard case .lines(let lines) = reading else {
            daemonFailed("infusiond closed the connection")
            return
        }
        for line in lines { receive(line) }
    }

    private func receive(_ line: DaemonLine) {
        switch line {
        case .event(let event):
            guard event.seq > lastReceived else { return }
            lastReceived = event.seq
            queue.append(line)
        case .gap(_, let to, _):
            guard to > lastReceived else { return }
            lastReceived = to
            queue.append(line)
        case .reply(let command, true, let lastSeq, _) where command == "watch":
            daemonFailures = 0
            if state.historyThrough == nil, firstStart, let lastSeq {
                // A first start in `live` mode: fold what the journal holds, send what happens from now on.
                state.historyThrough = lastSeq
                save()
                log.info("first start: sending events after seq \(lastSeq); earlier ones only inform the fold")
            }
            firstStart = false
        case .overflow(let reason), .shutdown(let reason):
            daemonFailed("infusiond ended the watch (\(reason))")
        case .hello, .reply, .ignored:
            break
        }
    }

    /// Folds queued events until one gives messages (which then wait for the engine).
    private func handleQueuedEvents() {
        while inFlight == nil, queueHead < queue.count {
            let line = queue[queueHead]
            queueHead += 1
            if queueHead > 4096, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            switch line {
            case .event(let event): handle(event)
            case .gap(let from, let to, let reason): reportGap(from: from, to: to, reason: reason)
            default: break
            }
        }
    }

    private func handle(_ event: DaemonEvent) {
        guard event.seq > lastHandled else { return }
        if case .unreadable(let why) = event.kind {
            state.counters.unreadableEvents += 1
            log.error("cannot read event \(event.seq) (\(event.name)); nothing sent for it", metadata: ["error": "\(why)"])
        }
        let chairsBefore = outbox.chairs
        let cursorBefore = lastHandled
        var messages = outbox.handle(event)
        lastHandled = event.seq
        if let history = state.historyThrough, event.seq <= history { return }
        if let partial = state.partial, partial.seq == event.seq {
            messages.removeFirst(min(partial.acknowledged, messages.count))
        }
        guard !messages.isEmpty else { return }
        inFlight = InFlight(seq: event.seq, messages: messages, chairsBefore: chairsBefore, cursorBefore: cursorBefore)
    }

    /// A gap is never skipped silently: it is logged as critical, recorded in `gaps.log`, counted, and only
    /// then does the cursor move past it.
    private func reportGap(from: UInt64, to: UInt64, reason: String) {
        log.critical(
            "infusiond cannot replay events \(from)...\(to) (\(reason)): any HL7 message they would have given is lost",
            metadata: ["from": "\(from)", "to": "\(to)", "reason": "\(reason)"])
        let line = "\(Wall.now) gap from=\(from) to=\(to) reason=\(reason) cursor=\(lastHandled)\n"
        do {
            try store.append(line, to: store.gapsPath)
        } catch {
            log.critical("cannot record the gap in \(store.gapsPath): \(error)")
        }
        state.counters.gaps += 1
        lastHandled = max(lastHandled, to)
        commit(cursor: lastHandled, chairs: outbox.chairs, partial: nil)
    }

    // MARK: engine

    private func maintainEngine(_ now: Double) {
        guard inFlight != nil, engine == nil, now >= engineRetryAt else { return }
        do {
            let candidates = try Sockets.resolve(host: settings.engine.host, port: settings.engine.port)
            guard !candidates.isEmpty else { throw SocketError(message: "\(settings.engine.host) resolves to nothing") }
            if !settings.allowRemoteEngine, candidates.contains(where: { !Sockets.isLoopback($0) }) {
                throw SocketError(
                    message: "\(settings.engine) is not a loopback address; plain MLLP leaves the host only with --allow-remote-engine")
            }
            var lastError = SocketError(message: "no address")
            for candidate in candidates {
                do {
                    engine = EngineLink(fd: try Sockets.connectTCP(candidate, timeoutSeconds: 5))
                    break
                } catch {
                    lastError = error
                }
            }
            guard engine != nil else { throw lastError }
            engineFailures = 0
            inFlight?.sentAt = nil
            log.info("connected to the engine at \(settings.engine)")
        } catch {
            engineFailed("cannot connect to the engine at \(settings.engine): \(error)")
        }
    }

    private func engineFailed(_ reason: String) {
        engine = nil
        engineFailures += 1
        inFlight?.sentAt = nil
        let wait = settings.configuration.delivery.backoff(attempt: engineFailures)
        engineRetryAt = Clock.now + wait
        log.warning("\(reason); retrying in \(wait) s")
    }

    private func sendIfReady(_ now: Double) {
        guard let link = engine, var flight = inFlight, flight.sentAt == nil, now >= flight.notBefore else { return }
        flight.attempt += 1
        flight.sentAt = now
        inFlight = flight
        let message = flight.message
        do {
            try link.send(message.text, timeoutSeconds: settings.configuration.delivery.acknowledgementTimeoutSeconds)
            log.debug(
                "sent \(message.kind.rawValue) \(message.controlID)",
                metadata: ["chair": "\(message.chair)", "seq": "\(message.seq)", "attempt": "\(flight.attempt)"])
        } catch {
            engineFailed("sending to the engine: \(error)")
        }
    }

    private func readEngine() {
        guard let link = engine else { return }
        guard let items = link.read() else {
            engineFailed("the engine closed the connection")
            return
        }
        for item in items {
            guard case .frame(let bytes) = item else {
                engineFailed("the engine sent an oversized frame")
                return
            }
            acknowledged(bytes)
        }
    }

    private func acknowledged(_ bytes: [UInt8]) {
        guard let flight = inFlight, flight.sentAt != nil else {
            log.warning("the engine sent a frame while nothing was outstanding; ignored")
            return
        }
        let acknowledgement: Acknowledgement
        do {
            acknowledgement = try Acknowledgement.parse(bytes)
        } catch {
            engineFailed("the engine's reply is not an acknowledgement (\(error))")
            return
        }
        let message = flight.message
        guard acknowledgement.controlID == message.controlID else {
            log.warning("acknowledgement for \(acknowledgement.controlID) while \(message.controlID) is outstanding; ignored")
            return
        }
        switch settings.configuration.delivery.decide(acknowledgement, attempt: flight.attempt) {
        case .advance:
            state.counters.accepted += 1
            log.info(
                "\(message.kind.rawValue) \(message.controlID) \(acknowledgement.code.rawValue)",
                metadata: ["chair": "\(message.chair)", "seq": "\(message.seq)"])
            delivered()
        case .retry(let seconds):
            state.counters.retried += 1
            log.error(
                "the engine answered \(acknowledgement.code.rawValue) to \(message.controlID): \(acknowledgement.text); sending it again in \(seconds) s")
            inFlight?.sentAt = nil
            inFlight?.notBefore = Clock.now + seconds
        case .setAside(let reason):
            state.counters.setAside += 1
            log.critical(
                "the engine will not take \(message.controlID) (\(reason)); set aside in \(store.setAsidePath)",
                metadata: ["chair": "\(message.chair)", "seq": "\(message.seq)"])
            let record = "# \(Wall.now) \(message.controlID) seq=\(message.seq) chair=\(message.chair) \(reason)\n"
                + message.text.replacingCRs() + "\n"
            do {
                try store.append(record, to: store.setAsidePath)
            } catch {
                log.critical("cannot record the set-aside message: \(error)")
            }
            delivered()
        }
    }

    /// The outstanding message is done with: make the cursor durable past it, then go on.
    private func delivered() {
        guard var flight = inFlight else { return }
        flight.next += 1
        flight.attempt = 0
        flight.sentAt = nil
        flight.notBefore = 0
        if flight.next == flight.messages.count {
            inFlight = nil
            commit(cursor: flight.seq, chairs: outbox.chairs, partial: nil)
        } else {
            inFlight = flight
            commit(
                cursor: flight.cursorBefore, chairs: flight.chairsBefore,
                partial: BridgeState.Partial(seq: flight.seq, acknowledged: flight.next))
        }
    }

    private func commit(cursor: UInt64, chairs: [String: ChairState], partial: BridgeState.Partial?) {
        state.cursor = max(state.cursor, cursor)
        state.chairs = chairs
        state.partial = partial
        save()
    }

    private func save() {
        do {
            try store.save(state)
        } catch {
            // Without a durable cursor the bridge would resend after a restart (never lose): keep going, loudly.
            log.critical("cannot save the cursor in \(store.cursorPath): \(error)")
        }
    }

    private func checkAcknowledgementTimeout(_ now: Double) {
        guard let flight = inFlight, let sentAt = flight.sentAt, engine != nil else { return }
        let timeout = settings.configuration.delivery.acknowledgementTimeoutSeconds
        if now - sentAt > timeout {
            engineFailed("no acknowledgement for \(flight.message.controlID) within \(timeout) s")
        }
    }

    // MARK: waiting

    private func wait() {
        var fds: [pollfd] = []
        let readingDaemon = daemon != nil && queue.count - queueHead < settings.configuration.maximumQueuedEvents
        if readingDaemon, let daemon { fds.append(pollfd(fd: daemon.fd, events: Int16(POLLIN), revents: 0)) }
        if let engine { fds.append(pollfd(fd: engine.fd, events: Int16(POLLIN), revents: 0)) }
        let now = Clock.now
        var deadline = now + 1
        if daemon == nil { deadline = min(deadline, daemonRetryAt) }
        if let flight = inFlight {
            if engine == nil { deadline = min(deadline, engineRetryAt) }
            if let sentAt = flight.sentAt {
                deadline = min(deadline, sentAt + settings.configuration.delivery.acknowledgementTimeoutSeconds)
            } else {
                deadline = min(deadline, flight.notBefore)
            }
        } else if queueHead < queue.count {
            deadline = now
        }
        let milliseconds = Int32(max(0, min(1000, (deadline - now) * 1000)).rounded(.up))
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        guard ready > 0 else { return }
        for entry in fds where entry.revents != 0 {
            if entry.fd == daemon?.fd { readDaemon() } else if entry.fd == engine?.fd { readEngine() }
        }
    }
}

/// Wall-clock time for the bridge's own records (gaps, set-aside messages); never used for ordering.
enum Wall {
    static var now: String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WireTime.text(epochMilliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}

extension String {
    /// Segments one per line, for a file people read.
    fileprivate func replacingCRs() -> String {
        split(separator: "\r", omittingEmptySubsequences: true).joined(separator: "\n")
    }
}
