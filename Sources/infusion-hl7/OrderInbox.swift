import Glibc
import HL7Bridge

/// The inbound MLLP listener for orders (`--listen`): one TCP listening socket and at most one order system
/// connection at a time (others wait in the backlog until it closes), in TLS when the bridge has a TLS
/// identity. Owns both fds.
final class OrderInbox {
    let listenFD: Int32
    private let identity: TLSIdentity?
    private(set) var connection: Int32?
    private var session: TLSSession?
    private var decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)

    /// Listens on `address` (the caller has checked that it is loopback, or that `identity` is given).
    init(address: (family: Int32, address: [UInt8]), identity: TLSIdentity?) throws(SocketError) {
        listenFD = try Sockets.listenTCP(address)
        self.identity = identity
    }

    deinit {
        drop()
        close(listenFD)
    }

    /// The fd to poll for reading: the connection if one is open, else the listener.
    var pollFD: Int32 { connection ?? listenFD }

    /// Takes the next waiting connection (starting its TLS handshake as the server); nil when none was waiting.
    func accept() throws -> Int32? {
        guard connection == nil else { return nil }
        let fd = Glibc.accept(listenFD, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if let identity {
            do {
                session = try TLSSession(fd: fd, identity: identity, isServer: true)
            } catch {
                close(fd)
                throw error
            }
        }
        connection = fd
        decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)
        return fd
    }

    /// The frames that arrived on the connection, or nil when it closed (the connection is then dropped).
    /// - Throws: a TLS failure (a client certificate not on the allow-list); the connection is then dropped.
    func read() throws -> [MLLPDecoder.Item]? {
        guard let fd = connection else { return [] }
        let bytes: [UInt8]?
        do {
            bytes = try session.map { try $0.read() } ?? Sockets.readAvailable(fd)
        } catch {
            drop()
            throw error
        }
        guard let bytes else {
            drop()
            return nil
        }
        return decoder.feed(bytes)
    }

    /// Sends one framed message on the connection.
    func send(_ message: String) throws {
        guard let fd = connection else { throw SocketError(message: "no order connection") }
        if let session {
            try session.send(MLLP.frame(message), timeoutSeconds: 10)
        } else {
            try Sockets.writeAll(fd, MLLP.frame(message), timeoutSeconds: 10)
        }
    }

    /// Closes the connection (the next one waiting is then accepted).
    func drop() {
        if session != nil {
            session = nil  // the session closes its fd
        } else if let connection {
            close(connection)
        }
        connection = nil
    }
}
