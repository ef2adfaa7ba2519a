#if canImport(Glibc)
internal import Glibc
#endif
package import InfusionCore
package import WireProtocol

/// What commands can see of the daemon.
package struct DaemonContext: Sendable {
    package var hub: EventHub
    /// The control thread's front door.
    package var control: ControlBridge
    /// The drug library and the rest of the clinical configuration, for `library`.
    package var core: CoreConfiguration
    package var startTime: ContinuousClock.Instant
    package var maxLineBytes: Int
    /// The devices known now.
    package var devices: @Sendable () -> [DeviceSummary]
    /// Whether test-only fault switches are accepted (`infusiond --test-faults`).
    package var testFaultsEnabled: Bool = false

    package init(
        hub: EventHub, control: ControlBridge, core: CoreConfiguration, startTime: ContinuousClock.Instant,
        maxLineBytes: Int, devices: @escaping @Sendable () -> [DeviceSummary]
    ) {
        self.hub = hub
        self.control = control
        self.core = core
        self.startTime = startTime
        self.maxLineBytes = maxLineBytes
        self.devices = devices
    }
}

/// Turns one request from one client into one reply line. Checks the role before anything else.
package struct CommandHandler: Sendable {
    package let context: DaemonContext

    package init(context: DaemonContext) {
        self.context = context
    }

    /// The hello every connection receives first, and `hello`'s result.
    package func hello(for client: ClientConnection) -> HelloInfo {
        HelloInfo(
            protocol: WireProtocolVersion.current, daemon: WireProtocolVersion.daemonVersion, role: client.role,
            uid: client.peer.uid, topics: Topic.allCases, maxLineBytes: context.maxLineBytes)
    }

    /// The reply line for `request`.
    package func reply(to request: Request, from client: ClientConnection) async -> [UInt8] {
        do {
            guard let command = CommandName(rawValue: request.command) else {
                throw WireError.unknownCommand(request.command)
            }
            guard client.role.permits(command.requiredRole) else {
                throw WireError.forbidden(command: command.rawValue, required: command.requiredRole, actual: client.role)
            }
            if command.isChairCommand { return try await runChairCommand(command, request, client) }
            return try run(command, request, client)
        } catch let error as WireError {
            return Self.failure(request.command, id: request.id, error)
        } catch {
            return Self.failure(
                request.command, id: request.id, WireError(code: "internal", message: "internal error: \(error)"))
        }
    }

    /// An error reply line.
    package static func failure(_ command: String, id: JSONValue?, _ error: WireError) -> [UInt8] {
        MessageFraming.failure(command, id: id, error: error)
    }

    private func run(_ command: CommandName, _ request: Request, _ client: ClientConnection) throws -> [UInt8] {
        func ok(_ result: some Encodable & Sendable) -> [UInt8] {
            MessageFraming.success(request.command, id: request.id, result: result)
        }
        switch command {
        case .hello, .version:
            return ok(hello(for: client))
        case .ping:
            return ok(Pong())
        case .help:
            return ok(CommandName.catalogue)
        case .status:
            return ok(status())
        case .devices:
            return ok(DeviceList(devices: context.devices()))
        case .watch:
            guard let topics = try request.topics(), !topics.isEmpty else {
                throw WireError.badRequest("'watch' needs 'topics', e.g. {\"cmd\":\"watch\",\"topics\":[\"alarms\"]}")
            }
            client.watch(topics)
            return ok(WatchState(topics: client.topics))
        case .unwatch:
            client.unwatch(try request.topics())
            return ok(WatchState(topics: client.topics))
        case .library:
            return ok(context.core.library)
        case .testFault:
            guard context.testFaultsEnabled else { throw WireError.unknownCommand(command.rawValue) }
            guard try request.string("fault") == "stall-control" else {
                throw WireError.badRequest("the only test fault is 'stall-control'")
            }
            context.control.loop.stallForTesting(try request.bool("on") ?? true)
            return ok(EmptyResult())
        case .notice:
            guard let text = try request.string("text"), !text.isEmpty else {
                throw WireError.badRequest("'notice' needs a non-empty 'text'")
            }
            context.hub.publish("notice", topic: .notices, data: Notice(text: text, from: client.peer.uid))
            return ok(EmptyResult())
        default:
            throw WireError.unknownCommand(command.rawValue)
        }
    }

    /// Hands a chair command to the control thread and waits for the core's answer.
    private func runChairCommand(_ command: CommandName, _ request: Request, _ client: ClientConnection) async throws -> [UInt8] {
        guard let chairName = try request.string("chair") else {
            throw WireError.badRequest("'\(command.rawValue)' needs 'chair'")
        }
        guard let chair = context.control.chairIndex(of: chairName) else {
            throw WireError(code: "unknown-chair", message: "no chair '\(chairName)'; chairs are \(context.control.chairIDs)")
        }
        let action = try ChairCommandTranslator.action(for: command, request)
        let result = await context.control.perform(action, chair: chair, operatorID: "uid:\(client.peer.uid)")
        if let error = result.error {
            throw WireError(code: error.code, message: error.message)
        }
        let snapshot = context.control.chairSnapshots[chair]
        return MessageFraming.success(request.command, id: request.id, result: snapshot)
    }

    private func status() -> StatusInfo {
        let counts = context.hub.counts
        let uptime = context.startTime.duration(to: .now)
        return StatusInfo(
            daemon: WireProtocolVersion.daemonVersion, protocol: WireProtocolVersion.current, pid: getpid(),
            uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            clients: counts.clients, watchers: counts.watchers, devices: context.devices().count,
            chairs: context.control.chairSnapshots.map { ChairSummary(id: $0.id, state: $0.state.rawValue) },
            controlTicks: context.control.loop.tickCount, missedTicks: context.control.loop.missedTickCount)
    }
}
