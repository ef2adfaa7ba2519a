import Glibc
package import Logging
package import NIOCore
import NIOPosix

/// Bytes in and out of one serial port over SwiftNIO.
///
/// The link owns the port's descriptor from `open` on and closes it in `close()` or when the device
/// goes away. Everything received arrives on `inbound` in the pieces the port delivered; the stream
/// finishes when the device is gone (end of file or EIO, as an unplugged USB adapter or a closed
/// pseudo-terminal master shows it) or the link was closed. It never interprets the bytes, so
/// garbage cannot hurt it; timeouts and retries belong to the drivers.
package final class SerialLink: Sendable {
    /// Received bytes; finishes when the link is down. Only one consumer may iterate it.
    package let inbound: AsyncStream<[UInt8]>
    /// The device path, for logs.
    package let path: String
    private let channel: any Channel

    private init(channel: any Channel, inbound: AsyncStream<[UInt8]>, path: String) {
        self.channel = channel
        self.inbound = inbound
        self.path = path
    }

    /// Opens `path` with `settings` (see `SerialPort.open`) and starts reading.
    package static func open(
        path: String, settings: SerialLineSettings, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(SerialPortError) -> SerialLink {
        let descriptor = try SerialPort.open(path: path, settings: settings, logger: logger)
        let (inbound, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(1024))
        let bootstrap = NIOPipeBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(SerialInboundHandler(continuation: continuation))
            }
        }
        do {
            let channel = try await bootstrap.takingOwnershipOfDescriptor(inputOutput: descriptor).get()
            logger.debug("serial link open", metadata: ["path": "\(path)", "line": "\(settings)"])
            return SerialLink(channel: channel, inbound: inbound, path: path)
        } catch {
            // On failure the descriptor is still ours (NIOPipeBootstrap's contract).
            Glibc.close(descriptor)
            continuation.finish()
            throw SerialPortError(code: .open, path: path, detail: "cannot attach to the event loop: \(error)")
        }
    }

    /// Whether the link is still up.
    package var isActive: Bool { channel.isActive }

    /// Writes `bytes` and waits until they are handed to the kernel. Throws when the link is down.
    package func write(_ bytes: [UInt8]) async throws(SerialLinkDown) {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
        } catch {
            throw SerialLinkDown(path: path, reason: "\(error)")
        }
    }

    /// Closes the port; `inbound` finishes. Safe to call more than once.
    package func close() async {
        try? await channel.close().get()
    }
}

/// The serial link is down: the device is gone or the link was closed.
package struct SerialLinkDown: Error, Hashable, Sendable {
    package var path: String
    package var reason: String
}

/// Forwards received bytes to the link's stream and ends it when the channel goes inactive.
private final class SerialInboundHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let continuation: AsyncStream<[UInt8]>.Continuation

    init(continuation: AsyncStream<[UInt8]>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        continuation.yield(Array(buffer.readableBytesView))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // End of file on the port: the device is gone (a hung-up tty keeps reading 0).
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // EIO and friends: the device vanished. Closing ends the stream.
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        continuation.finish()
    }
}
