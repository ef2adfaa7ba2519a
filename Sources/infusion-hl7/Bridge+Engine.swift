import Glibc
import HL7Bridge
import Logging

/// The engine side: connecting with backoff, one outstanding message, its acknowledgement and what follows.
extension Bridge {
    func maintainEngine(_ now: Double) {
        guard inFlight != nil, engine == nil, now >= engineRetryAt else { return }
        do {
            let candidates = try Sockets.resolve(host: settings.engine.host, port: settings.engine.port)
            guard !candidates.isEmpty else { throw SocketError(message: "\(settings.engine.host) resolves to nothing") }
            if tls == nil, candidates.contains(where: { !Sockets.isLoopback($0) }) {
                throw SocketError(
                    message: "\(settings.engine) is not a loopback address; MLLP leaves the host only over TLS (`tls` in the configuration)")
            }
            var lastError: any Error = SocketError(message: "no address")
            for candidate in candidates {
                do {
                    engine = try EngineLink(fd: try Sockets.connectTCP(candidate, timeoutSeconds: 5), identity: tls)
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

    func engineFailed(_ reason: String) {
        engine = nil
        engineFailures += 1
        inFlight?.sentAt = nil
        let wait = settings.configuration.delivery.backoff(attempt: engineFailures)
        engineRetryAt = Clock.now + wait
        log.warning("\(reason); retrying in \(wait) s")
    }

    func sendIfReady(_ now: Double) {
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

    func readEngine() {
        guard let link = engine else { return }
        let read: [MLLPDecoder.Item]?
        do {
            read = try link.read()
        } catch {
            engineFailed("the engine's connection failed: \(error)")
            return
        }
        guard let items = read else {
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

    func acknowledged(_ bytes: [UInt8]) {
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
        let refusals = flight.refusals + (acknowledgement.code.disposition == .accepted ? 0 : 1)
        inFlight?.refusals = refusals
        switch settings.configuration.delivery.decide(acknowledgement, refusals: refusals) {
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
    func delivered() {
        guard var flight = inFlight else { return }
        flight.next += 1
        flight.attempt = 0
        flight.refusals = 0
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

    func checkAcknowledgementTimeout(_ now: Double) {
        guard let flight = inFlight, let sentAt = flight.sentAt, engine != nil else { return }
        let timeout = settings.configuration.delivery.acknowledgementTimeoutSeconds
        if now - sentAt > timeout {
            engineFailed("no acknowledgement for \(flight.message.controlID) within \(timeout) s")
        }
    }
}
