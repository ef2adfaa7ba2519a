#if canImport(Glibc)
internal import Glibc
#endif
internal import enum ClinicalExports.ExportFormat
internal import struct ClinicalExports.SessionDevice
internal import struct ClinicalExports.SessionExports
package import InfusionCore
package import WireProtocol

/// What commands can see of the daemon.
package struct DaemonContext: Sendable {
    package var hub: EventHub
    /// The control thread's front door: chair commands and the chairs as status shows them.
    package var control: ControlBridge
    /// The control thread's health (ticks, missed ticks) and its test-only stall switch.
    package var loop: ControlLoop
    /// The audit store's writer: the command journal, its health for status, and the store for queries
    /// (`audit-verify`, `report`); nil when the daemon runs without one.
    package var recorder: AuditRecorder?
    /// The drug library and the rest of the clinical configuration, for `library`.
    package var core: CoreConfiguration
    package var startTime: ContinuousClock.Instant
    package var maxLineBytes: Int
    /// The devices known now.
    package var devices: @Sendable () -> [DeviceSummary]
    /// Each chair's default syringe id where the chair names its own, for `syringes`.
    package var chairSyringes: [String: String] = [:]
    /// Whether test-only fault switches are accepted (`infusiond --test-faults`).
    package var testFaultsEnabled: Bool = false
    /// Accepts a refused device for a chair role (`adopt`); nil where no devices are supervised.
    package var adoptDevice: (@Sendable (String, DeviceRole) throws(DiscoveryRegistry.AdoptionError) -> DeviceSummary)?

    package init(
        hub: EventHub, control: ControlBridge, loop: ControlLoop, recorder: AuditRecorder?, core: CoreConfiguration,
        startTime: ContinuousClock.Instant, maxLineBytes: Int, devices: @escaping @Sendable () -> [DeviceSummary]
    ) {
        self.hub = hub
        self.control = control
        self.loop = loop
        self.recorder = recorder
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
            if command == .course { return try await course(request) }
            if command.isChairCommand { return try await runChairCommand(command, request, client) }
            if command == .auditVerify { return try await verifyAudit(request) }
            if command == .report { return try await report(request) }
            if command == .adopt { return try await adopt(request, client) }
            return try run(command, request, client)
        } catch let error as WireError {
            return Self.failure(request.command, id: request.id, error)
        } catch {
            return Self.failure(
                request.command, id: request.id, WireError(code: "internal", message: "internal error: \(error)"))
        }
    }

    /// After the reply to a `watch` with `since` was queued: replays what the client missed, then makes it a
    /// live watcher (`EventHub.replay`). Does nothing for any other request, or for a `watch` that was refused.
    package func replayIfAsked(_ request: Request, for client: ClientConnection) async {
        guard request.command == CommandName.watch.rawValue, !client.isWatching,
            let since = try? request.since(), let topics = try? request.topics(), !topics.isEmpty
        else { return }
        await context.hub.replay(to: client, since: since, topics: Set(topics))
    }

    /// An error reply line.
    package static func failure(_ command: String, id: RequestID?, _ error: WireError) -> [UInt8] {
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
            let lastSeq = context.hub.lastSequence
            guard try request.since() != nil else {
                client.watch(topics)
                return ok(WatchState(topics: client.topics, lastSeq: lastSeq))
            }
            // The replay follows the reply (`replayIfAsked`); mixing it with a live stream already running could
            // repeat events or reorder them, so `since` belongs to a connection's first watch.
            guard !client.isWatching else {
                throw WireError(
                    code: "already-watching",
                    message: "'since' replays before the live stream starts; send it with the first 'watch' of a connection (or 'unwatch' first)")
            }
            return ok(WatchState(topics: Topic.allCases.filter(topics.contains), lastSeq: lastSeq))
        case .unwatch:
            client.unwatch(try request.topics())
            return ok(WatchState(topics: client.topics, lastSeq: context.hub.lastSequence))
        case .library:
            return ok(LibraryListing(
                library: context.core.library, observationScales: context.core.observationScales,
                asNeededMedications: context.core.asNeededMedications))
        case .syringes:
            let library = context.core.syringes
            let chairs = context.control.chairIDs.map {
                SyringeListing.ChairSyringe(chair: $0, syringe: context.chairSyringes[$0] ?? library.defaultID)
            }
            let syringes = library.entries.map {
                SyringeListing.Syringe(
                    id: $0.id, maker: $0.maker, nominalMillilitres: $0.nominalMillilitres,
                    innerDiameterMillimetres: $0.innerDiameterMillimetres)
            }
            return ok(SyringeListing(syringes: syringes, defaultID: library.defaultID, chairs: chairs))
        case .testFault:
            guard context.testFaultsEnabled else { throw WireError.unknownCommand(command.rawValue) }
            guard try request.string("fault") == "stall-control" else {
                throw WireError.badRequest("the only test fault is 'stall-control'")
            }
            context.loop.stallForTesting(try request.bool("on") ?? true)
            return ok(EmptyResult())
        case .notice:
            guard let text = try request.string("text"), !text.isEmpty else {
                throw WireError.badRequest("'notice' needs a non-empty 'text'")
            }
            context.hub.publish(.notice, data: Notice(text: text, from: client.peer.uid))
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
        let action = try await withPatientHistory(ChairCommandTranslator.action(for: command, request))
        // Recorded with its outcome by the dispatcher as soon as the core answers; returns once that is durable.
        let audit = ControlBridge.CommandAudit(request: request, actor: AuditActor(uid: client.peer.uid, role: client.role.rawValue))
        let answer = await context.control.perform(action, chair: chair, operatorID: "uid:\(client.peer.uid)", audit: audit)
        let result = answer.result
        if let error = answer.notDurable, result.error == nil {
            // Issue 7: a command is acknowledged only once its record is durable. It did take effect (the
            // control thread never waits for the disk), so say exactly that.
            throw WireError(
                code: "not-durable",
                message: "'\(command.rawValue)' was carried out, but its audit record is not durable (\(error)); "
                    + "it is held and retried; see status.audit")
        }
        if let error = result.error {
            throw WireError(code: error.code, message: error.message, details: error.details)
        }
        // The chair as the core left it with this result, beside the monitor's readings as status shows them.
        var snapshot = context.control.chairSnapshots[chair]
        if let after = result.after { snapshot.update(after) }
        let status = snapshot.status(at: ControlLoop.now(), freshness: VitalFreshness(context.core), clock: .now())
        return MessageFraming.success(request.command, id: request.id, result: status)
    }

    /// Walks the audit chain off the event loop (GRDB's reader pool).
    private func verifyAudit(_ request: Request) async throws -> [UInt8] {
        guard let store = await context.recorder?.writer.committedStore() else {
            throw WireError(code: "no-audit-store", message: "this daemon runs without an audit store")
        }
        var anchor: (sequence: Int64, hash: String)?
        if let text = try request.string("anchor") {
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let sequence = Int64(parts[0]), sequence > 0 else {
                throw WireError.badRequest("'anchor' is SEQUENCE:HASH, as status.audit.anchor shows it")
            }
            anchor = (sequence, String(parts[1]))
        }
        do {
            var broken = try await store.verify()
            let count = try await store.count()
            var holds: Bool?
            if let anchor {
                holds = try await store.hash(ofSequence: anchor.sequence) == anchor.hash
                // A cut-back log is a valid chain that ends too early: name the anchored record as the break.
                if holds == false { broken = min(broken ?? anchor.sequence, anchor.sequence) }
            }
            return MessageFraming.success(
                request.command, id: request.id,
                result: AuditVerification(intact: broken == nil, records: count, firstBrokenRecord: broken, anchorHolds: holds))
        } catch {
            throw WireError(code: "audit-unreadable", message: "the audit store cannot be read: \(error)")
        }
    }

    /// Builds a chair's latest session report from the audit log (off the event loop).
    private func report(_ request: Request) async throws -> [UInt8] {
        guard let chair = try request.string("chair") else { throw WireError.badRequest("'report' needs 'chair'") }
        guard context.control.chairIndex(of: chair) != nil else {
            throw WireError(code: "unknown-chair", message: "no chair '\(chair)'; chairs are \(context.control.chairIDs)")
        }
        let formatName = try request.string("format") ?? ExportFormat.json.rawValue
        guard let format = ExportFormat(rawValue: formatName) else {
            let names = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw WireError.badRequest("'format' is one of \(names)")
        }
        guard let store = await context.recorder?.writer.committedStore() else {
            throw WireError(code: "no-audit-store", message: "this daemon runs without an audit store")
        }
        let records: [AuditRecord]
        do {
            records = try await store.latestSessionRecords(chairID: chair)
        } catch {
            throw WireError(code: "audit-unreadable", message: "the audit store cannot be read: \(error)")
        }
        let devices = context.devices().filter { $0.chair == chair }
        func identity(_ role: String) -> SessionDevice {
            let device = devices.first { $0.role == role }
            return SessionDevice(
                vendor: device?.vendor ?? device?.driver ?? "unknown", model: device?.model ?? device?.driver ?? "unknown",
                serial: device?.serial ?? device?.path ?? "unknown")
        }
        do {
            let set = try SessionRecordAssembler(chairID: chair, pump: identity("pump"), monitor: identity("monitor"))
                .assemble(records)
            let text = try SessionExports(set).text(format)
            return MessageFraming.success(
                request.command, id: request.id, result: ReportText(chair: chair, format: format.rawValue, text: text))
        } catch let error as ReportError {
            throw WireError(code: "no-session", message: error.message)
        } catch {
            throw WireError(code: "internal", message: "the report could not be made: \(error)")
        }
    }

    private func status() -> StatusInfo {
        let counts = context.hub.counts
        let uptime = context.startTime.duration(to: .now)
        let now = ControlLoop.now()
        let freshness = VitalFreshness(context.core)
        let clock = WallClockAnchor.now()
        let chairs = context.control.chairSnapshots.map { $0.status(at: now, freshness: freshness, clock: clock) }
        return StatusInfo(
            daemon: WireProtocolVersion.daemonVersion, protocol: WireProtocolVersion.current, pid: getpid(),
            uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            clients: counts.clients, watchers: counts.watchers, devices: context.devices().count,
            chairs: chairs,
            audit: context.recorder.map { recorder in
                let status = recorder.writer.status
                var reason: String?
                if case .degraded(let why) = status.health { reason = why }
                return AuditHealth(
                    health: reason == nil ? "healthy" : "degraded", reason: reason, held: status.held,
                    dropped: status.dropped, written: status.written, path: recorder.databasePath,
                    anchor: status.lastSequence.flatMap { sequence in status.lastHash.map { "\(sequence):\($0)" } })
            },
            controlTicks: context.loop.tickCount, missedTicks: context.loop.missedTickCount)
    }
}

/// `library`'s result: the drug library, the observation scales `observe` takes and the as-needed medications
/// `medicate` takes, each in the form the configuration file gives them (docs/CONFIGURATION.md), whose keys the
/// core's types spell out one by one (`CodingKeys`), so a renamed property cannot change the reply.
struct LibraryListing: Encodable, Sendable {
    var library: DrugLibrary
    var observationScales: [ObservationScale]
    var asNeededMedications: [AsNeededMedication]

    func encode(to encoder: any Encoder) throws {
        try library.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(observationScales, forKey: .observationScales)
        try container.encode(asNeededMedications, forKey: .asNeededMedications)
    }

    enum CodingKeys: String, CodingKey { case observationScales, asNeededMedications }
}

