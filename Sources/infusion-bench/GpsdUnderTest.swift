import Foundation
import Glibc

/// gpsd (Debian's, installed by scripts/setup) as the fan-out comparison's peer: in the foreground
/// (`-N`), reading its device from the start without waiting for a client (`-n`), read-only so it
/// never writes probe strings to the pty (`-b`), at a fixed 9600 8N1 so it does not hunt for the
/// speed (`-s 9600 -f 8N1`), on a private loopback port (`-S`) and control socket (`-F`) in the
/// scratch directory: never the system's socket-activated service, which scripts/setup masks.
/// gpsd serves its watchers on TCP only (loopback here); infusiond's watchers use its Unix socket.
final class GpsdUnderTest {
    let process = Process()
    let port: UInt16

    init(executable: String, devicePath: String, directory: String) throws {
        port = try Self.freeLoopbackPort()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-N", "-n", "-b", "-s", "9600", "-f", "8N1", "-S", String(port), "-F", directory + "/gpsd.sock", devicePath,
        ]
        let logPath = directory + "/gpsd.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let probe = try? connectWatcher(subscribe: false) {
                Glibc.close(probe)
                break
            }
            guard process.isRunning, Date() < deadline else {
                stop()
                throw BenchError("gpsd did not listen on port \(port): " + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))
            }
            usleep(20_000)
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// A TCP connection to gpsd; with `subscribe`, it has sent `?WATCH={"enable":true,"json":true}`
    /// (every report as a JSON line). The caller closes the descriptor.
    func connectWatcher(subscribe: Bool = true) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw BenchError("connect to gpsd: errno \(error)")
        }
        if subscribe {
            let watch = Array("?WATCH={\"enable\":true,\"json\":true}\n".utf8)
            guard watch.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == watch.count else {
                Glibc.close(descriptor)
                throw BenchError("?WATCH to gpsd failed: errno \(errno)")
            }
        }
        return descriptor
    }

    /// SIGTERM, then waits for the exit (SIGKILL after 10 s).
    func stop() { process.stopGracefully() }

    /// A loopback port nobody listens on now (bound to port 0, then released).
    private static func freeLoopbackPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw BenchError("no free loopback port: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
