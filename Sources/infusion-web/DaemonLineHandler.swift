import NIOCore
import WireProtocol

/// Splits what infusiond sends into lines and hands each parsed message to the station; tells it when
/// the connection ends. Runs on the station's event loop.
final class DaemonLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let station: Station
    private var pending: [UInt8] = []

    init(station: Station) { self.station = station }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let message = try? IncomingMessage.parse(line: pending[start..<newline]) {
                station.daemonSent(message)
            }
            start = newline + 1
        }
        pending.removeFirst(start)
    }

    func channelInactive(context: ChannelHandlerContext) {
        station.daemonClosed("the connection to infusiond closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
