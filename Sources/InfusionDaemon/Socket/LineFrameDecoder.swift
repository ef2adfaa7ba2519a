package import NIOCore

/// Splits the client byte stream into request lines, and refuses a line longer than the limit as
/// soon as that many bytes have arrived without a newline, instead of buffering without bound.
package struct LineFrameDecoder: ByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    /// Thrown when a line exceeds the limit; the connection replies `line-too-long` and closes.
    package struct LineTooLong: Error {}

    private let maximumLineBytes: Int
    /// Bytes already scanned without finding a newline, so a long line is not rescanned per read.
    private var scanned = 0

    package init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            if scanned > maximumLineBytes { throw LineTooLong() }
            return .needMoreData
        }
        var length = newline - view.startIndex
        scanned = 0
        if length > maximumLineBytes { throw LineTooLong() }
        let hasCarriageReturn = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
        if hasCarriageReturn { length -= 1 }
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: hasCarriageReturn ? 2 : 1)
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A final line without its newline (e.g. `printf '{"cmd":"ping"}' | socat ...`) still counts.
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let rest = buffer.readSlice(length: buffer.readableBytes)!
            context.fireChannelRead(Self.wrapInboundOut(rest))
        }
        return .needMoreData
    }
}
