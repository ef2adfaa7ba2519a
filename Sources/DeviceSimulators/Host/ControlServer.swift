#if canImport(Glibc)
import Glibc
#endif

/// A line-based Unix stream socket for flipping a simulator's switches while it runs: a client
/// writes one command per line and gets one answer line per command (docs/SIMULATORS.md).
///
/// Ownership: the server owns its listening socket and every accepted client; `close()` closes
/// them all and removes the socket file.
final class ControlServer {
    let path: String
    private(set) var listener: Int32
    private var clients: [Client] = []

    private struct Client {
        var descriptor: Int32
        var pending: [UInt8] = []
    }

    /// At most this many clients at once; further connections are closed at once.
    static let maximumClients = 8
    /// A line longer than this is answered with an error and dropped.
    static let maximumLineLength = 512

    /// Binds and listens at `path`, replacing a stale socket file left by a killed simulator.
    init(path: String) throws(SimulatorHostError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw SimulatorHostError("control socket path longer than \(capacity - 1) bytes", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw SimulatorHostError("socket") }
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK { unlink(path) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 4) == 0 else {
            let error = SimulatorHostError("bind/listen \(path)")
            Glibc.close(descriptor)
            throw error
        }
        self.path = path
        listener = descriptor
    }

    /// Descriptors to poll for input: the listener and every client.
    var descriptors: [Int32] { [listener] + clients.map(\.descriptor) }

    /// Accepts new clients and reads complete lines, answering each with `handle(line)`.
    /// Call when poll reported input on any of `descriptors`; never blocks.
    func service(_ handle: (String) -> String) {
        acceptClients()
        var index = 0
        while index < clients.count {
            if readLines(of: index, handle) {
                index += 1
            } else {
                Glibc.close(clients[index].descriptor)
                clients.remove(at: index)
            }
        }
    }

    private func acceptClients() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            if clients.count >= Self.maximumClients {
                Glibc.close(client)
            } else {
                clients.append(Client(descriptor: client))
            }
        }
    }

    /// Reads what client `index` sent and answers complete lines; false when it hung up.
    private func readLines(of index: Int, _ handle: (String) -> String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(clients[index].descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return false }
            if count < 0 { return errno == EAGAIN || errno == EINTR }
            clients[index].pending += buffer.prefix(count)
            while let newline = clients[index].pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: clients[index].pending[..<newline], as: UTF8.self)
                clients[index].pending.removeFirst(newline + 1)
                send(handle(line) + "\n", to: clients[index].descriptor)
            }
            if clients[index].pending.count > Self.maximumLineLength {
                clients[index].pending.removeAll()
                send("error line too long\n", to: clients[index].descriptor)
            }
        }
    }

    private func send(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        // Answers are short; a client that does not read them loses them rather than stalling the device.
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Closes every socket and removes the socket file.
    func close() {
        for client in clients { Glibc.close(client.descriptor) }
        clients.removeAll()
        if listener >= 0 {
            Glibc.close(listener)
            unlink(path)
        }
        listener = -1
    }

    deinit {
        for client in clients { Glibc.close(client.descriptor) }
        if listener >= 0 {
            Glibc.close(listener)
            unlink(path)
        }
    }
}
