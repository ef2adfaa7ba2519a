import Glibc
import HL7Bridge

/// The inbound MLLP listener for orders (`--listen`): one TCP listening socket and at most one order system
/// connection at a time (others wait in the backlog until it closes). Owns both fds.
final class OrderInbox {
    let listenFD: Int32
    private(set) var connection: Int32?
    private var decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)

    /// Listens on `address` (already checked to be loopback by the caller).
    init(address: (family: Int32, address: [UInt8])) throws(SocketError) {
        listenFD = try Sockets.listenTCP(address)
    }

    deinit {
        close(listenFD)
        if let connection { close(connection) }
    }

    /// The fds to poll for reading: the connection if one is open, else the listener.
    var pollFD: Int32 { connection ?? listenFD }

    /// Takes the next waiting connection; nil when none was waiting.
    func accept() -> Int32? {
        guard connection == nil else { return nil }
        let fd = Glibc.accept(listenFD, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        connection = fd
        decoder = MLLPDecoder(maximumFrameBytes: 1 << 20)
        return fd
    }

    /// The frames that arrived on the connection, or nil when it closed (the connection is then dropped).
    func read() -> [MLLPDecoder.Item]? {
        guard let fd = connection else { return [] }
        guard let bytes = Sockets.readAvailable(fd) else {
            drop()
            return nil
        }
        return decoder.feed(bytes)
    }

    /// Sends one framed message on the connection.
    func send(_ message: String) throws(SocketError) {
        guard let fd = connection else { throw SocketError(message: "no order connection") }
        try Sockets.writeAll(fd, MLLP.frame(message), timeoutSeconds: 10)
    }

    /// Closes the connection (the next one waiting is then accepted).
    func drop() {
        if let connection { close(connection) }
        connection = nil
    }
}
