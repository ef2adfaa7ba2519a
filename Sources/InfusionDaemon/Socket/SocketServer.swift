#if canImport(Glibc)
internal import Glibc
#endif
internal import CShims
package import Logging
internal import NIOCore
internal import NIOPosix
internal import ServiceLifecycle
internal import WireProtocol

/// The Unix-socket server: accepts clients, reads request lines, writes replies and events.
///
/// Threads: a ``ConnectionAcceptor`` accepts; every client's requests are read, and its task runs, on one request
/// loop (nice -10 with real-time scheduling configured); once a client watches, its writer moves to a write-only
/// channel on a duplicate of its socket on one of the shared loops (default nice), so a chair command is read and
/// answered by a loop that hundreds of watchers' writes do not keep busy.
///
/// Lifecycle: `run()` prepares the socket file (never stealing a live one), binds, calls `onReady`,
/// and serves until graceful shutdown. Then it stops accepting, sends every client a `shutdown`
/// event, gives them `shutdownGraceSeconds` to receive it, closes them, removes its socket file and
/// returns.
package final class SocketServer: Service, CustomStringConvertible {
    package var description: String { "SocketServer" }

    private let settings: SocketSettings
    private let handler: CommandHandler
    private let roles: RoleResolver
    private let logger: Logger
    private let onReady: @Sendable () -> Void
    private let onStopping: @Sendable () -> Void
    /// A client that leaves before it is served (a connection storm) would log a line each (issue 21).
    private let refusedWithoutCredentials: RateLimitedLog
    private let oversizedLine: RateLimitedLog

    /// `onReady` runs once the socket accepts clients; `onStopping` once shutdown has begun.
    package init(
        settings: SocketSettings, handler: CommandHandler, roles: RoleResolver, logger: Logger,
        onReady: @escaping @Sendable () -> Void, onStopping: @escaping @Sendable () -> Void
    ) {
        self.settings = settings
        self.handler = handler
        self.roles = roles
        self.logger = logger
        self.onReady = onReady
        self.onStopping = onStopping
        refusedWithoutCredentials = RateLimitedLog("client refused: peer credentials unavailable", logger: logger)
        oversizedLine = RateLimitedLog("client sent an oversized line; closing", level: .notice, logger: logger)
    }

    private var hub: EventHub { handler.context.hub }

    package func run() async throws {
        let maxLine = settings.maxLineBytes
        let initializeClient: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(LineFrameDecoder(maximumLineBytes: maxLine)))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        // Every client's requests are read, and its replies written, on a loop of their own; a watcher's lines move
        // to a channel on one of the shared loops once it watches (`moveLinesOffTheRequestLoop`), so a command never
        // waits behind hundreds of watchers' writes (issue 21: socket command → pump wire p99 under load).
        let requestLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { requestLoops.shutdownGracefully { _ in } }
        let watcherLoops = MultiThreadedEventLoopGroup.singleton
        // One task executor for the request loop, alive as long as the server: a connection's task runs there.
        let requestExecutor = EventLoopTaskExecutor(requestLoops.next())
        if let nice = SafetyPathScheduling.eventLoopNice {
            // The request loop only: the watchers' loops write lines for displays and records, and must not compete
            // with a command on its way in at the same weight.
            for loop in requestLoops.makeIterator() {
                loop.execute { [logger] in
                    let error = cshim_set_current_thread_nice(nice)
                    if error != 0 {
                        logger.warning("event loop runs at the default nice value", metadata: ["refused": "\(nice)", "errno": "\(error)"])
                    }
                }
            }
        }
        let listening: Int32
        let path = settings.path
        var ownedInode: UInt64? = nil
        if let passed = SocketActivation.listeningSocket() {
            // systemd owns the socket file, its mode and group (infusiond.socket).
            _ = fcntl(passed, F_SETFL, fcntl(passed, F_GETFL) | O_NONBLOCK)
            listening = passed
            logger.info("serving on the socket systemd passed", metadata: ["fd": "\(passed)"])
        } else {
            let socketGroup = try settings.group.map { name in
                guard let id = groupID(named: name) else {
                    throw SocketFile.Conflict(description: "socket group '\(name)' does not exist")
                }
                return id
            }
            // Bound under a private name and given its mode and group before it appears at `path`,
            // so no client ever sees the socket with the umask's bits or the wrong group.
            let unpublished = SocketFile.unpublishedPath(for: path)
            try SocketFile.prepare(path: path)
            try SocketFile.prepare(path: unpublished)
            listening = try SocketFile.listen(at: unpublished, backlog: 128)
            do {
                try SocketFile.applyPermissions(
                    path: unpublished, mode: settings.permissionBits ?? 0o660, groupID: socketGroup)
                try SocketFile.publish(unpublished, at: path)
            } catch {
                SocketFile.remove(path: unpublished, ifInode: SocketFile.inode(path: unpublished))
                close(listening)
                throw error
            }
            ownedInode = SocketFile.inode(path: path)
            logger.info("serving", metadata: ["socket": "\(path)", "mode": "\(settings.mode)"])
        }
        defer { if let ownedInode { SocketFile.remove(path: path, ifInode: ownedInode) } }
        let acceptor = ConnectionAcceptor(listening: listening)
        onReady()

        let bootstrap = ClientBootstrap(group: requestLoops).channelOption(.allowRemoteHalfClosure, value: true)
        try await withThrowingDiscardingTaskGroup { group in
            for await descriptor in acceptor.connections.cancelOnGracefulShutdown() {
                let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
                do {
                    connection = try await bootstrap.withConnectedSocket(descriptor, channelInitializer: initializeClient)
                } catch {
                    // Not closed here: NIO closes the descriptor with the channel it made when registering fails, and
                    // closing a number another file may have taken since is worse than leaking one in the rarer case.
                    logger.warning("client refused: the event loop could not take its socket", metadata: ["error": "\(error)"])
                    continue
                }
                group.addTask(executorPreference: requestExecutor) {
                    await self.serve(connection, descriptor: descriptor, watcherLoops: watcherLoops)
                }
            }
            acceptor.stop()
            onStopping()
            logger.info("stopping: telling clients")
            hub.closeAll(reason: "infusiond is shutting down")
            group.addTask { await self.disconnectStragglers() }
        }
        logger.info("socket closed")
    }

    /// Waits for clients to take their shutdown notice and leave, then cuts off any still there
    /// when the grace period ends (a client that stopped reading never leaves on its own).
    private func disconnectStragglers() async {
        let deadline = ContinuousClock.now.advanced(by: .seconds(settings.shutdownGraceSeconds))
        while hub.counts.clients > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        hub.disconnectAll()
    }

    /// Serves one client until it leaves, overflows, or the daemon stops.
    /// `descriptor` is the socket the channel reads (the channel owns it); a watcher's lines are written through a
    /// duplicate of it on one of `watcherLoops`.
    private func serve(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, descriptor: Int32, watcherLoops: MultiThreadedEventLoopGroup
    ) async {
        guard let peer = await peerCredentials(of: channel.channel) else {
            refusedWithoutCredentials.log()
            try? await channel.channel.close()
            return
        }
        let client = ClientConnection(
            id: hub.makeConnectionID(), peer: peer, role: roles.role(for: peer), queueLimit: settings.clientQueueLimit,
            queueBytes: settings.clientQueueBytes,
            overflowGrace: .seconds(settings.overflowGraceSeconds), channel: channel.channel)
        hub.register(client)
        defer { hub.unregister(client) }
        var clientLogger = logger
        clientLogger[metadataKey: "client"] = "\(client.id)"
        let log = clientLogger
        log.debug("client connected", metadata: ["uid": "\(peer.uid)", "pid": "\(peer.pid)", "role": "\(client.role)"])
        client.outbox.send(connectionEvent: ConnectionEvent.hello, data: LineCoding.encodedData(handler.hello(for: client)))

        // The writer works on the channel's event loop (OutboxChannelWriter). Once it has written the last line
        // (`shutdown`, `overflow`) or the socket failed, the channel is closed, which also ends the reading. One task
        // per connection, not a reader beside a waiter: each costs its own stack of several KB, times 256 watchers.
        client.writer.finished.whenComplete { [hub] _ in
            // Gone from the count before the client can see the end of the stream.
            hub.unregister(client)
            channel.channel.close(promise: nil)
            client.writer.closeChannels()
        }
        do {
            try await channel.executeThenClose { inbound, _ in
                await readRequests(inbound, for: client) {
                    await self.moveLinesOffTheRequestLoop(of: client, descriptor: descriptor, to: watcherLoops)
                }
                // A watcher that half-closed still receives events until its outbox ends.
                try await client.writer.finished.get()
            }
        } catch {
            log.debug("client connection ended", metadata: ["reason": "\(error)"])
        }
        client.outbox.close()
        log.debug("client disconnected")
    }

    /// Reads request lines and queues one reply for each. Ends the connection's outbox when the
    /// client stops sending, unless it watches topics: a watcher keeps receiving events after it
    /// half-closes (`echo '{"cmd":"watch",...}' | socat ...`).
    private func readRequests(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, for client: ClientConnection,
        onceWatching startedWatching: () async -> Void
    ) async {
        var movedLines = false
        do {
            for try await buffer in inbound {
                let line = buffer.readableBytesView
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                switch Request.parse(line: line) {
                case .success(let request):
                    client.answer(await handler.reply(to: request, from: client))
                    if !movedLines, client.isWatching {
                        movedLines = true
                        await startedWatching()
                    }
                    await handler.replayIfAsked(request, for: client)
                case .failure(let failure):
                    client.answer(CommandHandler.failure(failure.command ?? "?", id: failure.id, failure.error))
                }
                if client.outbox.isClosed { return }
            }
            if !client.isWatching { client.outbox.close() }
        } catch is LineFrameDecoder.LineTooLong {
            oversizedLine.log(metadata: ["limit": "\(settings.maxLineBytes)", "client": "\(client.id)"])

            client.answer(CommandHandler.failure("?", id: nil, .lineTooLong(limit: settings.maxLineBytes)))
            client.outbox.close()
        } catch {
            client.outbox.close()
        }
    }

    /// Gives a client that watches a write-only channel of its own, on a duplicate of its socket on one of the shared
    /// loops, and moves its writer there: its lines then never keep the request loop busy. If that fails the lines
    /// stay on the request loop, which still works, only less promptly for everyone's commands.
    private func moveLinesOffTheRequestLoop(
        of client: ClientConnection, descriptor: Int32, to loops: MultiThreadedEventLoopGroup
    ) async {
        // Both duplicates before the first suspension, while the channel certainly still holds `descriptor` (once
        // it closes, the number may name another file). Close-on-exec, as the accepted socket is. The second is the
        // writer's own, for publishers' direct writes; without it the lines all go through the loop.
        let duplicate = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0 else { return }
        let direct: Int32? = { let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0); return copy >= 0 ? copy : nil }()
        let output: any Channel
        do {
            output = try await NIOPipeBootstrap(group: loops).takingOwnershipOfDescriptor(output: duplicate).get()
        } catch {
            close(duplicate)
            if let direct { close(direct) }
            return
        }
        if !client.writer.redirect(to: output, directDescriptor: direct) {
            output.close(promise: nil)
            if let direct { close(direct) }
        }
    }

    /// The peer's credentials from the kernel.
    private func peerCredentials(of channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let future: EventLoopFuture<cshim_peer_credentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: cshim_so_peercred())
        let credentials = try? await future.get()
        return credentials.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}
