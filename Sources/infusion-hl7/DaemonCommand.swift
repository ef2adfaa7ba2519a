import Glibc
import WireProtocol

/// One request to infusiond on a connection of its own, answered synchronously within a deadline: how the
/// bridge stages an order (`order`) without mixing a reply into its event stream. The connection is closed
/// after the reply.
enum DaemonCommand {
    /// Sends `request` and returns infusiond's refusal, or nil when it succeeded.
    /// - Throws: ``SocketError`` when infusiond cannot be reached or does not answer within `timeoutSeconds`.
    static func send(_ request: Request, to path: String, timeoutSeconds: Double) throws(SocketError) -> WireError? {
        let fd = try Sockets.connectUnix(path)
        defer { close(fd) }
        let deadline = Clock.now + timeoutSeconds
        let line: [UInt8]
        do {
            line = try LineCoding.encodeLine(request)
        } catch {
            throw SocketError(message: "cannot encode the request: \(error)")
        }
        try Sockets.writeAll(fd, line, timeoutSeconds: timeoutSeconds)
        var pending: [UInt8] = []
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let text = pending[..<newline]
                pending.removeSubrange(...newline)
                guard case .reply(let command, _, let ok, _, let error)? = try? IncomingMessage.parse(line: text),
                    command == request.command
                else { continue }
                return ok ? nil : (error ?? WireError(code: "internal", message: "refused without a reason"))
            }
            let left = deadline - Clock.now
            guard left > 0 else { throw SocketError(message: "infusiond did not answer '\(request.command)' within \(timeoutSeconds) s") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, Int32(left * 1000) + 1)
            guard let bytes = Sockets.readAvailable(fd) else { throw SocketError(message: "infusiond closed the connection") }
            pending += bytes
        }
    }
}
