import Glibc

/// A failed system call or connection step, with errno's text.
struct SocketError: Error, CustomStringConvertible {
    var description: String

    init(_ what: String, errno code: Int32 = errno) {
        description = "\(what): \(String(cString: strerror(code)))"
    }

    init(message: String) { description = message }
}

/// Thin wrappers over the socket calls the bridge needs. Every fd returned is close-on-exec and non-blocking;
/// the caller owns it and closes it with `close`.
enum Sockets {
    /// Connects to the Unix stream socket at `path`.
    static func connectUnix(_ path: String) throws(SocketError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw SocketError(message: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw SocketError("connect \(path)", errno: code)
        }
        setNonBlocking(fd)
        return fd
    }

    /// The addresses `host` and `port` resolve to (TCP).
    static func resolve(host: String, port: Int) throws(SocketError) -> [(family: Int32, address: [UInt8])] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { throw SocketError(message: "resolve \(host): \(String(cString: gai_strerror(status)))") }
        defer { freeaddrinfo(list) }
        var found: [(Int32, [UInt8])] = []
        var node = list
        while let entry = node?.pointee {
            if let address = entry.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(entry.ai_addrlen))
                found.append((entry.ai_family, Array(bytes)))
            }
            node = entry.ai_next
        }
        return found
    }

    /// Whether a resolved address is a loopback one (127.0.0.0/8 or ::1).
    static func isLoopback(_ resolved: (family: Int32, address: [UInt8])) -> Bool {
        resolved.address.withUnsafeBytes { raw -> Bool in
            if resolved.family == AF_INET {
                let address = raw.loadUnaligned(as: sockaddr_in.self)
                return UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
            }
            if resolved.family == AF_INET6 {
                let address = raw.loadUnaligned(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                return bytes == Array(repeating: 0, count: 15) + [1]
            }
            return false
        }
    }

    /// Connects to one resolved address within `timeoutSeconds`.
    static func connectTCP(_ resolved: (family: Int32, address: [UInt8]), timeoutSeconds: Double) throws(SocketError)
        -> Int32
    {
        let fd = socket(resolved.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        setNonBlocking(fd)
        let result = resolved.address.withUnsafeBytes { raw in
            connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                let code = errno
                close(fd)
                throw SocketError("connect", errno: code)
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeoutSeconds * 1000))
            guard ready == 1 else {
                close(fd)
                throw SocketError(message: "connect: timed out after \(timeoutSeconds) s")
            }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
            guard failure == 0 else {
                close(fd)
                throw SocketError("connect", errno: failure)
            }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// A non-blocking TCP socket listening on one resolved address (SO_REUSEADDR, so a restart can bind at once).
    static func listenTCP(_ resolved: (family: Int32, address: [UInt8])) throws(SocketError) -> Int32 {
        let fd = socket(resolved.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = resolved.address.withUnsafeBytes { raw in
            bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let code = errno
            close(fd)
            throw SocketError("listen", errno: code)
        }
        setNonBlocking(fd)
        return fd
    }

    /// Writes all of `bytes`, waiting (at most `timeoutSeconds` in all) while the socket's buffer is full.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], timeoutSeconds: Double) throws(SocketError) {
        var offset = 0
        let deadline = Clock.now + timeoutSeconds
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EINTR else { throw SocketError("send") }
            let left = deadline - Clock.now
            guard left > 0 else { throw SocketError(message: "send: timed out") }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, Int32(left * 1000) + 1)
        }
    }

    /// Reads what is available: the bytes, `[]` when nothing is waiting, nil at end of stream or on an error.
    static func readAvailable(_ fd: Int32, limit: Int = 65536) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, limit, 0) }
        if count > 0 { return Array(buffer[0..<count]) }
        if count < 0, errno == EAGAIN || errno == EINTR { return [] }
        return nil
    }

    private static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }
}

/// Monotonic seconds, for deadlines and backoff (never steps with the wall clock).
enum Clock {
    static var now: Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
