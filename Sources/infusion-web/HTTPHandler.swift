import CentralStation
import NIOCore
import NIOHTTP1

/// Answers browsers: the page and its assets, and `/events`, the live stream. GET and HEAD only: no
/// endpoint changes anything. Every response carries the strict security headers.
final class HTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let station: Station
    private let address: ListenAddress
    private let allowedHosts: [String]
    private var head: HTTPRequestHead?
    private var streaming = false

    init(station: Station, address: ListenAddress, allowedHosts: [String]) {
        self.station = station
        self.address = address
        self.allowedHosts = allowedHosts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead): head = requestHead
        case .body: break
        case .end:
            guard let head, !streaming else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if streaming { station.unsubscribe(context.channel) }
        context.fireChannelInactive()
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        // With port 0 the port is the one bound, which the connection knows.
        var address = address
        address.port = context.channel.localAddress?.port ?? address.port
        guard address.accepts(hostHeader: request.headers.first(name: "host"), extraHosts: allowedHosts) else {
            return reply(context, request, .forbidden, "text/plain; charset=utf-8", "unknown Host\n")
        }
        guard request.method == .GET || request.method == .HEAD else {
            return reply(context, request, .methodNotAllowed, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n",
                         extra: [("Allow", "GET, HEAD")])
        }
        let parts = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "/")
        if path == "/events" {
            let fromQuery = parts.count > 1 ? Self.queryValue("lastEventId", in: parts[1]) : nil
            return stream(context, request, lastEventID: request.headers.first(name: "last-event-id") ?? fromQuery)
        }
        guard let asset = StaticAssets.byPath[path] else {
            return reply(context, request, .notFound, "text/plain; charset=utf-8", "not found\n")
        }
        reply(context, request, .ok, asset.contentType, asset.body)
    }

    static func queryValue(_ name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            if keyValue.count == 2, keyValue[0] == name { return String(keyValue[1]) }
        }
        return nil
    }

    private func headers(_ contentType: String, extra: [(String, String)] = []) -> HTTPHeaders {
        var headers = HTTPHeaders([("Content-Type", contentType)] + StaticAssets.securityHeaders + extra)
        headers.add(name: "Server", value: "infusion-web")
        return headers
    }

    private func reply(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
        _ contentType: String, _ body: String, extra: [(String, String)] = []
    ) {
        var headers = headers(contentType, extra: extra)
        let bytes = Array(body.utf8)
        headers.add(name: "Content-Length", value: "\(bytes.count)")
        let keepAlive = request.isKeepAlive && status == .ok
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }

    private func stream(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, lastEventID: String?) {
        let headers = headers("text/event-stream; charset=utf-8", extra: [("X-Accel-Buffering", "no")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
        guard request.method == .GET else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
            return
        }
        streaming = true
        let first = station.subscribe(context.channel, lastEventID: lastEventID)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: first)))), promise: nil)
    }
}
