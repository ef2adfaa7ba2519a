import CentralStation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import WireProtocol

/// The shell around `StationRelay`: one connection to infusiond, the browsers' event streams, and the
/// timers. Everything runs on one event loop (`loop`), so the relay needs no lock; every method must be
/// called on it.
final class Station: @unchecked Sendable {
    /// How often changes are pushed to browsers.
    static let publishMilliseconds: Int64 = 200
    /// How often a heartbeat goes to browsers (the page takes 8 s of silence for a lost stream).
    static let heartbeatMilliseconds: Int64 = 2000
    /// How often `status` and `devices` are read again, as `infusionctl top` does.
    static let rereadMilliseconds: Int64 = 5000
    /// Wait before connecting to infusiond again.
    static let reconnectMilliseconds: Int64 = 1000
    /// What the browser waits before reconnecting its event stream.
    static let browserRetryMilliseconds = 1000

    let loop: any EventLoop
    private let socketPath: String
    private let logger: Logger
    private var relay: StationRelay
    private var daemon: (any Channel)?
    private var connecting = false
    private var browsers: [ObjectIdentifier: any Channel] = [:]

    init(loop: any EventLoop, socketPath: String, logger: Logger, showPatientID: Bool) {
        self.loop = loop
        self.socketPath = socketPath
        self.logger = logger
        relay = StationRelay(
            epoch: String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16), showPatientID: showPatientID)
    }

    /// Connects to infusiond and starts the timers.
    func start() {
        loop.execute {
            self.connectToDaemon()
            self.every(Self.publishMilliseconds) { $0.publish() }
            self.every(Self.heartbeatMilliseconds) { $0.heartbeat() }
            self.every(Self.rereadMilliseconds) { $0.reread() }
        }
    }

    private func every(_ milliseconds: Int64, _ body: @escaping @Sendable (Station) -> Void) {
        loop.scheduleRepeatedTask(initialDelay: .milliseconds(milliseconds), delay: .milliseconds(milliseconds)) { _ in
            body(self)
        }
    }

    // MARK: infusiond

    private func connectToDaemon() {
        loop.preconditionInEventLoop()
        guard daemon == nil, !connecting else { return }
        connecting = true
        ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DaemonLineHandler(station: self))
                }
            }
            .connect(unixDomainSocketPath: socketPath)
            .whenComplete { result in
                self.connecting = false
                switch result {
                case .success(let channel):
                    self.daemon = channel
                    self.logger.info("connected to infusiond", metadata: ["socket": "\(self.socketPath)"])
                    self.send(self.relay.connected())
                case .failure(let error):
                    self.relay.lost("cannot connect to infusiond at \(self.socketPath): \(error)")
                    self.retryLater()
                }
            }
    }

    private func retryLater() {
        loop.scheduleTask(in: .milliseconds(Self.reconnectMilliseconds)) { self.connectToDaemon() }
    }

    private func send(_ requests: [Request]) {
        guard let daemon, !requests.isEmpty else { return }
        var buffer = daemon.allocator.buffer(capacity: 256)
        for request in requests {
            guard let line = try? LineCoding.encodeLine(request) else { continue }
            buffer.writeBytes(line)
        }
        daemon.writeAndFlush(buffer, promise: nil)
    }

    func daemonSent(_ message: IncomingMessage) {
        send(relay.receive(message, localNanoseconds: Clocks.monotonicNanoseconds()))
    }

    func daemonClosed(_ reason: String) {
        loop.preconditionInEventLoop()
        guard daemon != nil else { return }
        daemon = nil
        relay.lost(reason)
        logger.warning("lost infusiond", metadata: ["reason": "\(reason)", "cursor": "\(relay.cursor.map(String.init) ?? "none")"])
        publish()
        retryLater()
    }

    private func reread() {
        if daemon != nil { send(StationRelay.reread) }
    }

    // MARK: browsers

    /// Registers `channel` (whose response head is sent) for the stream and returns what it gets first:
    /// what it missed since `lastEventID`, or a snapshot.
    func subscribe(_ channel: any Channel, lastEventID: String?) -> [UInt8] {
        loop.preconditionInEventLoop()
        browsers[ObjectIdentifier(channel)] = channel
        var bytes = ServerSentEvents.retryFrame(milliseconds: Self.browserRetryMilliseconds)
        for message in relay.resume(lastEventID: lastEventID, wallMilliseconds: Clocks.wallMilliseconds()) {
            bytes += ServerSentEvents.frame(message, epoch: relay.epoch)
        }
        return bytes
    }

    func unsubscribe(_ channel: any Channel) {
        browsers[ObjectIdentifier(channel)] = nil
    }

    private func publish() {
        let messages = relay.publish(
            localNanoseconds: Clocks.monotonicNanoseconds(), wallMilliseconds: Clocks.wallMilliseconds())
        guard !messages.isEmpty else { return }
        broadcast(messages.flatMap { ServerSentEvents.frame($0, epoch: relay.epoch) })
    }

    private func heartbeat() {
        let data = relay.heartbeat(wallMilliseconds: Clocks.wallMilliseconds())
        broadcast(ServerSentEvents.unnumberedFrame(event: "heartbeat", data: data))
    }

    /// Writes to every browser. One that does not read (its socket buffer full past the high-water mark)
    /// is closed rather than buffered for: it reconnects with its last id and gets what it missed.
    private func broadcast(_ bytes: [UInt8]) {
        for (key, channel) in browsers {
            guard channel.isWritable else {
                browsers[key] = nil
                channel.close(promise: nil)
                continue
            }
            let buffer = channel.allocator.buffer(bytes: bytes)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
        }
    }
}
