import CentralStation
import Logging
import NIOCore
import NIOHTTP1
import WireProtocol

/// Answers browsers: the page and its assets, and `/events`, the live stream. GET and HEAD only (and, with a
/// login, the login form's POST, which starts a session and changes nothing else): no endpoint changes
/// anything of infusiond's. Every response carries the strict security headers.
final class HTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let station: Station
    private let address: ListenAddress
    private let allowedHosts: [String]
    private let tls: Bool
    private let login: StationLogin?
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var streaming = false

    init(
        station: Station, address: ListenAddress, allowedHosts: [String], tls: Bool, login: StationLogin?,
        logger: Logger
    ) {
        self.station = station
        self.address = address
        self.allowedHosts = allowedHosts
        self.tls = tls
        self.login = login
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
        case .body(var chunk):
            // Only the login form has a body worth reading; anything longer than it is refused, not buffered.
            if body.count + chunk.readableBytes > LoginRequest.maximumFormBytes {
                bodyTooLarge = true
            } else {
                body += chunk.readBytes(length: chunk.readableBytes) ?? []
            }
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A browser that gave up, or a TLS handshake that failed (plain HTTP to the TLS port, an untrusted
        // certificate): nothing to answer.
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        // With port 0 the port is the one bound, which the connection knows.
        var address = address
        address.port = context.channel.localAddress?.port ?? address.port
        guard address.accepts(hostHeader: request.headers.first(name: "host"), extraHosts: allowedHosts) else {
            return reply(context, request, .forbidden, "text/plain; charset=utf-8", "unknown Host\n")
        }
        let parts = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "/")
        if let login {
            if path == "/login" { return loginPage(context, request, login) }
            let token = LoginRequest.sessionToken(cookieHeaders: request.headers["cookie"])
            // The style is public: the login page uses it.
            let user = login.user(token: token)
            if path != "/station.css", user == nil {
                if (path == "/" || path == "/index.html") && (request.method == .GET || request.method == .HEAD) {
                    return reply(context, request, .seeOther, "text/plain; charset=utf-8", "log in at /login\n",
                                 extra: [("Location", "/login")])
                }
                return reply(context, request, .unauthorized, "text/plain; charset=utf-8", "log in at /login first\n")
            }
            if let user, path == "/logout" { return logOut(context, request, login, token: token, user: user) }
            if let user, path == "/session", request.method == .GET || request.method == .HEAD {
                // Who is logged in, for the page's header and its logout button.
                return reply(context, request, .ok, "application/json", String(decoding: LineCoding.encodedData(["user": user]), as: UTF8.self))
            }
        }
        guard request.method == .GET || request.method == .HEAD else {
            return reply(context, request, .methodNotAllowed, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n",
                         extra: [("Allow", "GET, HEAD")])
        }
        if path == "/events" {
            let fromQuery = parts.count > 1 ? Self.queryValue("lastEventId", in: parts[1]) : nil
            return stream(context, request, lastEventID: request.headers.first(name: "last-event-id") ?? fromQuery)
        }
        guard let asset = StaticAssets.byPath[path] else {
            return reply(context, request, .notFound, "text/plain; charset=utf-8", "not found\n")
        }
        reply(context, request, .ok, asset.contentType, asset.body)
    }

    /// `/login`: the form (GET, HEAD), or its post, which starts a session and sends the browser to the page.
    private func loginPage(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ login: StationLogin) {
        // The form posts here; `same-origin` lets the browser name this origin in the post's `Origin` (with
        // `no-referrer` it would send `null`, which is refused below like another site).
        let policy = [
            ("Content-Security-Policy", StaticAssets.loginContentSecurityPolicy), ("Referrer-Policy", "same-origin"),
        ]
        if request.method == .GET || request.method == .HEAD {
            return reply(context, request, .ok, "text/html; charset=utf-8", StaticAssets.loginPage(failed: false), extra: policy)
        }
        guard request.method == .POST else {
            return reply(context, request, .methodNotAllowed, "text/plain; charset=utf-8", "GET, HEAD or POST\n",
                         extra: [("Allow", "GET, HEAD, POST")])
        }
        guard fromThisOrigin(request) else {
            return reply(context, request, .forbidden, "text/plain; charset=utf-8", "a login from another origin\n")
        }
        guard !bodyTooLarge else {
            return reply(context, request, .payloadTooLarge, "text/plain; charset=utf-8", "the login form is too long\n")
        }
        guard let fields = LoginRequest.formFields(body), let name = fields["user"], let password = fields["password"] else {
            return reply(context, request, .badRequest, "text/html; charset=utf-8", StaticAssets.loginPage(failed: true), extra: policy)
        }
        body = []
        let channel = context.channel
        let peer = channel.remoteAddress.map { "\($0)" } ?? "?"
        // The answer comes back on this channel's loop, where the handler and its context may be used.
        let here = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        login.logIn(name: name, password: password).whenSuccess { token in
            guard channel.isActive else { return }
            let (handler, context) = here.value
            guard let token else {
                handler.logger.warning("login refused", metadata: ["user": "\(name)", "peer": "\(peer)"])
                login.loop.scheduleTask(in: .milliseconds(StationLogin.refusalDelayMilliseconds)) {
                    guard channel.isActive else { return }
                    let (handler, context) = here.value
                    handler.reply(context, request, .unauthorized, "text/html; charset=utf-8",
                                  StaticAssets.loginPage(failed: true), extra: policy)
                }
                return
            }
            handler.logger.notice("logged in", metadata: ["user": "\(name)", "peer": "\(peer)"])
            handler.reply(context, request, .seeOther, "text/plain; charset=utf-8", "logged in\n", extra: [
                ("Location", "/"),
                ("Set-Cookie", LoginRequest.sessionCookie(token: token, lifetimeSeconds: login.lifetimeSeconds)),
            ])
        }
    }

    /// `/logout` (POST, from this origin): ends the session and has the browser forget its cookie.
    private func logOut(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ login: StationLogin, token: String?, user: String
    ) {
        guard request.method == .POST else {
            return reply(context, request, .methodNotAllowed, "text/plain; charset=utf-8", "POST only\n", extra: [("Allow", "POST")])
        }
        guard fromThisOrigin(request) else {
            return reply(context, request, .forbidden, "text/plain; charset=utf-8", "a logout from another origin\n")
        }
        login.logOut(token: token)
        logger.notice("logged out", metadata: ["user": "\(user)"])
        reply(context, request, .seeOther, "text/plain; charset=utf-8", "logged out\n",
              extra: [("Location", "/login"), ("Set-Cookie", LoginRequest.expiredSessionCookie)])
    }

    /// Whether a POST comes from this origin's own page: the browser names the posting page's origin in
    /// `Origin` (`null` or another origin is refused; a client that sends none, like curl, is let through).
    private func fromThisOrigin(_ request: HTTPRequestHead) -> Bool {
        guard let origin = request.headers.first(name: "origin") else { return true }
        return origin.lowercased() == "https://" + (request.headers.first(name: "host") ?? "").lowercased()
    }

    static func queryValue(_ name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            if keyValue.count == 2, keyValue[0] == name { return String(keyValue[1]) }
        }
        return nil
    }

    /// The response's headers: the security headers (an `extra` header of the same name replaces one), and
    /// with TLS the instruction to browsers to use nothing else for this host.
    private func headers(_ contentType: String, extra: [(String, String)] = []) -> HTTPHeaders {
        let replaced = Set(extra.map { $0.0.lowercased() })
        var headers = HTTPHeaders([("Content-Type", contentType)]
            + StaticAssets.securityHeaders.filter { !replaced.contains($0.0.lowercased()) } + extra)
        if tls { headers.add(name: "Strict-Transport-Security", value: "max-age=31536000") }
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
