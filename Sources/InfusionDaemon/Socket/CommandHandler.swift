#if canImport(Glibc)
internal import Glibc
#endif
package import WireProtocol

/// What commands can see of the daemon. Later issues add the control thread and device registry.
package struct DaemonContext: Sendable {
    package var hub: EventHub
    package var startTime: ContinuousClock.Instant
    package var maxLineBytes: Int
    /// The devices known now; empty until device discovery exists.
    package var devices: @Sendable () -> [DeviceSummary]

    package init(
        hub: EventHub, startTime: ContinuousClock.Instant, maxLineBytes: Int,
        devices: @escaping @Sendable () -> [DeviceSummary]
    ) {
        self.hub = hub
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
    package func reply(to request: Request, from client: ClientConnection) -> [UInt8] {
        do {
            guard let command = CommandName(rawValue: request.command) else {
                throw WireError.unknownCommand(request.command)
            }
            guard client.role.permits(command.requiredRole) else {
                throw WireError.forbidden(command: command.rawValue, required: command.requiredRole, actual: client.role)
            }
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
        case .notice:
            guard let text = try request.string("text"), !text.isEmpty else {
                throw WireError.badRequest("'notice' needs a non-empty 'text'")
            }
            context.hub.publish("notice", topic: .notices, data: Notice(text: text, from: client.peer.uid))
            return ok(EmptyResult())
        }
    }

    private func status() -> StatusInfo {
        let counts = context.hub.counts
        let uptime = context.startTime.duration(to: .now)
        return StatusInfo(
            daemon: WireProtocolVersion.daemonVersion, protocol: WireProtocolVersion.current, pid: getpid(),
            uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            clients: counts.clients, watchers: counts.watchers, devices: context.devices().count, chairs: [])
    }
}
