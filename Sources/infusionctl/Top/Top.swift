#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import WireProtocol
import InfusionDashboard

struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Live chair-side dashboard: pumps, vitals with sparklines, alarms and device links.",
        discussion: "With --once, prints the picture as plain text after a short watch and exits.")
    @OptionGroup var options: ConnectionOptions
    @Flag(help: "Print one plain-text picture and exit (for scripts).") var once = false
    @Option(help: "With --once: seconds to gather events before printing.") var gather = 1.5

    func run() throws {
        if once { return try printOnce() }
        var shell = TopShell(socketPath: options.socketPath)
        shell.run()
    }

    private func printOnce() throws {
        let link: TopLink
        do { link = try TopLink(path: options.socketPath) } catch { throw options.fail(error) }
        var model = DashboardModel()
        link.subscribe()
        let deadline = monotonicMilliseconds() + Int64(gather * 1000)
        while case let left = deadline - monotonicMilliseconds(), left > 0 {
            guard let messages = link.receive(waitingAtMost: Int32(left)) else { break }
            for message in messages { model.apply(message, localNanoseconds: monotonicNanoseconds()) }
            for request in model.statusRequests() { link.send(request) }
        }
        model.advance(toLocal: monotonicNanoseconds())
        let renderer = DashboardRenderer(width: 0, height: 0, ansi: false)
        for line in renderer.render(model) { writeLine(line) }
    }
}

/// The interactive loop: one thread waits on the keyboard and the socket, folds, and redraws.
struct TopShell {
    /// Redraw period while idle, fast enough for the 2 Hz flash of high-priority alarms.
    static let tickMilliseconds: Int32 = 100
    /// Wait before trying to reconnect after the daemon went away.
    static let reconnectMilliseconds: Int64 = 1000

    let socketPath: String
    private var model = DashboardModel()
    private var overlay = DashboardRenderer.Overlay()
    private var link: TopLink?
    private var nextConnectAttempt: Int64 = 0
    /// When to ask for `status` again although no chair event said a chair changed: the ages and times
    /// left it carries move on, and each vital's source and maximum age are in it.
    private var nextStatusRefresh: Int64 = 0
    /// How often `status` is asked for again while connected.
    static let statusRefreshMilliseconds: Int64 = 5000
    /// When the message under the panels (a key's outcome) goes away.
    private var messageExpiry: Int64?
    /// How long an acknowledge or audio-pause key waits for the daemon's answer before giving up.
    static let commandTimeoutSeconds = 5
    /// How long a key's outcome stays on screen.
    static let messageMilliseconds: Int64 = 8000

    init(socketPath: String) { self.socketPath = socketPath }

    mutating func run() {
        RawTerminal.enter()
        defer { RawTerminal.restore() }
        while true {
            connectIfDue()
            var waiters = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
            if let link { waiters.append(pollfd(fd: link.fd, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&waiters, nfds_t(waiters.count), Self.tickMilliseconds)
            if waiters[0].revents != 0 {
                // No keys after the terminal said it was readable: it hung up; nobody is watching.
                guard let keys = RawTerminal.readKeys(), handle(keys) else { return }
            }
            if let link, waiters.count > 1, waiters[1].revents != 0 {
                if let messages = link.receive(waitingAtMost: 0) {
                    for message in messages { model.apply(message, localNanoseconds: monotonicNanoseconds()) }
                    for request in model.statusRequests() { link.send(request) }
                } else {
                    disconnected("connection closed")
                }
            }
            refreshStatusIfDue()
            terminalResized = 0
            draw()
        }
    }

    private mutating func connectIfDue() {
        guard link == nil, monotonicMilliseconds() >= nextConnectAttempt else { return }
        do {
            let fresh = try TopLink(path: socketPath)
            fresh.subscribe()
            link = fresh
        } catch {
            disconnected(error.description)
        }
    }

    private mutating func refreshStatusIfDue() {
        let now = monotonicMilliseconds()
        guard let link, now >= nextStatusRefresh else { return }
        if nextStatusRefresh > 0 { link.send(Request(command: "status")) }
        nextStatusRefresh = now + Self.statusRefreshMilliseconds
    }

    private mutating func disconnected(_ reason: String) {
        link = nil
        if case .lost = model.link {} else { model.link = .lost(reason) }
        nextConnectAttempt = monotonicMilliseconds() + Self.reconnectMilliseconds
    }

    private mutating func draw() {
        model.advance(toLocal: monotonicNanoseconds())
        if let expiry = messageExpiry, monotonicMilliseconds() >= expiry {
            overlay.message = nil
            messageExpiry = nil
        }
        let size = RawTerminal.size()
        let renderer = DashboardRenderer(
            width: size.width, height: size.height, ansi: true, clockMilliseconds: monotonicMilliseconds())
        var current = overlay
        if current.selectedChair == nil { current.selectedChair = model.chairIDs.first }
        RawTerminal.draw(renderer.render(model, overlay: current))
    }

    /// Handles keys; false means quit.
    private mutating func handle(_ keys: [UInt8]) -> Bool {
        for key in keys {
            switch key {
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: return false
            case UInt8(ascii: "?"): overlay.showHelp.toggle()
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                let id = String(UnicodeScalar(key))
                if model.chairs[id] != nil { overlay.selectedChair = id }
            case 9: cycleChair()
            case UInt8(ascii: "a"): operatorCommand("ack", "acknowledge")
            case UInt8(ascii: "s"): operatorCommand("silence", "audio pause")
            default: break
            }
        }
        return true
    }

    private mutating func cycleChair() {
        let ids = model.chairIDs
        guard !ids.isEmpty else { return }
        let current = ids.firstIndex(of: overlay.selectedChair ?? ids[0]) ?? 0
        overlay.selectedChair = ids[(current + 1) % ids.count]
    }

    /// Sends `ack` or `silence` for the chosen chair on a separate short connection, so the reply
    /// never mixes with the watched events; refuses up front, saying why, without the operator role.
    private mutating func operatorCommand(_ command: String, _ what: String) {
        guard let chair = overlay.selectedChair ?? model.chairIDs.first else {
            return show("\(what): no chair to act on")
        }
        guard let role = model.role, role.permits(.operator) else {
            return show("\(what) needs the operator role; this connection is \(model.role?.rawValue ?? "not yet identified")")
        }
        do {
            var connection = try DaemonConnection(path: socketPath, receiveTimeoutSeconds: Self.commandTimeoutSeconds)
            defer { connection.closeConnection() }
            let reply = try connection.call(Request(command: command, fields: ["chair": .string(chair)]))
            if case .reply(_, _, let ok, _, let error) = reply.message {
                show(ok ? "\(what), chair \(chair): done" : "\(what) refused: \(error?.message ?? "?")")
            }
        } catch {
            show("\(what) failed: \(error)")
        }
    }

    /// Shows a key's outcome under the panels for a while.
    private mutating func show(_ message: String) {
        overlay.message = message
        messageExpiry = monotonicMilliseconds() + Self.messageMilliseconds
    }
}
