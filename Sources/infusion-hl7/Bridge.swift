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
        /// Where orders are taken (`--listen`); nil: inbound is off.
        var listen: EngineAddress?
        var configuration: BridgeConfiguration
        var sourceName: String
    }

    /// The messages of one event, being delivered.
    struct InFlight {
        var seq: UInt64
        var messages: [OutboundMessage]
        var next = 0
        /// The fold and the cursor before this event: what is saved while only some of its messages are in.
        var chairsBefore: [String: ChairState]
        var cursorBefore: UInt64
        /// Times sent (for the log), and how often the engine refused it with AE/AR (for the policy).
        var attempt = 0
        var refusals = 0
        var sentAt: Double?
        var notBefore = 0.0
        var message: OutboundMessage { messages[next] }
    }

    let settings: Settings
    let store: StateStore
    let log: Logger
    var state: BridgeState
    var outbox: Outbox
    var queue: [DaemonLine] = []
    var queueHead = 0
    /// The newest `seq` received (queued or handled): the `since` of the next watch.
    var lastReceived: UInt64
    /// The newest `seq` folded.
    var lastHandled: UInt64
    var inFlight: InFlight?
    var daemon: DaemonLink?
    var daemonRetryAt = 0.0
    var daemonFailures = 0
    var engine: EngineLink?
    var engineRetryAt = 0.0
    var engineFailures = 0
    var firstStart: Bool
    /// The order listener, when `--listen` is given.
    var orders: OrderInbox?
    /// The TLS identity both directions use, when the configuration has `tls`.
    let tls: TLSIdentity?
    /// Order acknowledgements sent by this run, for their control ids.
    var acknowledgementCount = 0
    /// When the next summary line is due (monotonic seconds).
    var nextSummary = Clock.now + Bridge.summaryPeriodSeconds
    static let summaryPeriodSeconds = 300.0

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
        tls = try settings.configuration.tls.map(TLSIdentity.init)
        // MLLP is plain text: without TLS, an engine off this host is refused at once (docs/INTEGRATION.md
        // "Security"); a name that does not resolve yet is checked again at every connection.
        if tls == nil, let candidates = try? Sockets.resolve(host: settings.engine.host, port: settings.engine.port),
            candidates.contains(where: { !Sockets.isLoopback($0) })
        {
            throw SocketError(
                message: "--send \(settings.engine) is not a loopback address; MLLP leaves the host only over TLS (`tls` in the configuration)")
        }
        if let listen = settings.listen { orders = try Self.openOrderInbox(listen, tls: tls) }
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
            summarizeIfDue(Clock.now)
        }
    }

    /// Every five minutes, one line a person can read the bridge's health from.
    func summarizeIfDue(_ now: Double) {
        guard now >= nextSummary else { return }
        nextSummary = now + Self.summaryPeriodSeconds
        let counters = state.counters
        log.info(
            "cursor \(state.cursor); \(counters.accepted) accepted, \(counters.retried) retried, \(counters.setAside) set aside, \(counters.gaps) gaps",
            metadata: [
                "queued": "\(queue.count - queueHead)", "outstanding": "\(inFlight?.message.controlID ?? "none")",
                "infusiond": "\(daemon == nil ? "disconnected" : "connected")",
                "engine": "\(engine == nil ? "disconnected" : "connected")",
            ])
    }

    func commit(cursor: UInt64, chairs: [String: ChairState], partial: BridgeState.Partial?) {
        state.cursor = max(state.cursor, cursor)
        state.chairs = chairs
        state.partial = partial
        save()
    }

    func save() {
        do {
            try store.save(state)
        } catch {
            // Without a durable cursor the bridge would resend after a restart (never lose): keep going, loudly.
            log.critical("cannot save the cursor in \(store.cursorPath): \(error)")
        }
    }

    // MARK: waiting

    private func wait() {
        var fds: [pollfd] = []
        let readingDaemon = daemon != nil && queue.count - queueHead < settings.configuration.maximumQueuedEvents
        if readingDaemon, let daemon { fds.append(pollfd(fd: daemon.fd, events: Int16(POLLIN), revents: 0)) }
        if let engine { fds.append(pollfd(fd: engine.fd, events: Int16(POLLIN), revents: 0)) }
        if let orders { fds.append(pollfd(fd: orders.pollFD, events: Int16(POLLIN), revents: 0)) }
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
            if entry.fd == daemon?.fd {
                readDaemon()
            } else if entry.fd == engine?.fd {
                readEngine()
            } else if let orders, entry.fd == orders.pollFD {
                if orders.connection == nil { acceptOrderConnection() } else { readOrders() }
            }
        }
    }
}

extension Bridge {
    /// The order listener on `address`: a loopback address, or any address with TLS (docs/INTEGRATION.md
    /// "Security").
    static func openOrderInbox(_ address: EngineAddress, tls: TLSIdentity?) throws -> OrderInbox {
        let candidates = try Sockets.resolve(host: address.host, port: address.port)
        guard let first = candidates.first else { throw SocketError(message: "\(address.host) resolves to nothing") }
        guard tls != nil || candidates.allSatisfy(Sockets.isLoopback) else {
            throw SocketError(
                message: "--listen \(address) is not a loopback address; orders are taken off the host only over TLS (`tls` in the configuration)")
        }
        return try OrderInbox(address: first, identity: tls)
    }
}

/// Wall-clock time for the bridge's own records (gaps, set-aside messages); never used for ordering.
enum Wall {
    /// Milliseconds since the Unix epoch.
    static var milliseconds: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    static var now: String { WireTime.text(epochMilliseconds: milliseconds) }
}

extension String {
    /// Segments one per line, for a file people read.
    func replacingCRs() -> String {
        split(separator: "\r", omittingEmptySubsequences: true).joined(separator: "\n")
    }
}
