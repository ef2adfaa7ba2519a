import Glibc
import HL7Bridge
import Logging

/// The infusiond side: connecting with backoff, reading events into the queue, folding them in order, gaps.
extension Bridge {
    func maintainDaemon(_ now: Double) {
        guard daemon == nil, now >= daemonRetryAt, queue.count - queueHead < settings.configuration.maximumQueuedEvents / 2
        else { return }
        do {
            daemon = try DaemonLink(path: settings.socketPath, since: lastReceived)
            log.info("connected to infusiond", metadata: ["since": "\(lastReceived)"])
        } catch {
            daemonFailed("cannot connect to infusiond: \(error)")
        }
    }

    func daemonFailed(_ reason: String) {
        daemon = nil
        daemonFailures += 1
        let configuration = settings.configuration
        var wait = configuration.daemonReconnectInitialSeconds
        for _ in 1..<min(daemonFailures, 30) { wait = min(wait * 2, configuration.daemonReconnectMaximumSeconds) }
        daemonRetryAt = Clock.now + wait
        log.warning("\(reason); reconnecting with since=\(lastReceived) in \(wait) s")
    }

    func readDaemon() {
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

    func receive(_ line: DaemonLine) {
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
    func handleQueuedEvents() {
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

    func handle(_ event: DaemonEvent) {
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
    func reportGap(from: UInt64, to: UInt64, reason: String) {
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
}
