import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Test support for driving the built `infusion-sim` over real pseudo-terminals. Waits here are
/// failure guards (a hung simulator fails the test), never measurements.
enum PumpProcessSupport {
    /// The package root, from this file's path (Tests/DeviceSimulatorsTests/<file>).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The `infusion-sim` binary built with the tests: next to the test bundle, else in .build/debug.
    static func simulatorBinary() throws -> URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("infusion-sim"),
            packageRoot.appendingPathComponent(".build/debug/infusion-sim"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            Issue.record("infusion-sim is not built; looked at \(candidates.map(\.path)). Run `swift build` first.")
            throw SupportError.missing
        }
        return found
    }

    /// A fresh directory for one test's pty links and sockets.
    static func scratchDirectory() throws -> String {
        var template = Array("/tmp/infusion-sim-test-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw SupportError.missing }
        return String(cString: path)
    }

    /// Waits up to `limit` for `condition`, polling every 10 ms.
    static func waitFor(_ limit: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    enum SupportError: Error { case missing, timeout, io(String) }
}

/// A running `infusion-sim pump`, terminated (SIGTERM) when the test drops it; the directory
/// holding its link (from `PumpProcessSupport.scratchDirectory()`) is removed then too.
final class SimulatorProcess {
    let process = Process()
    let linkPath: String
    let controlPath: String

    init(arguments: [String], linkPath: String) throws {
        self.linkPath = linkPath
        controlPath = linkPath + ".control"
        process.executableURL = try PumpProcessSupport.simulatorBinary()
        process.arguments = ["pump", "--pty", linkPath] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let ready = PumpProcessSupport.waitFor {
            access(linkPath, F_OK) == 0 && access(self.controlPath, F_OK) == 0
        }
        guard ready else {
            Issue.record("simulator did not create \(linkPath) in time")
            throw PumpProcessSupport.SupportError.timeout
        }
    }

    /// Sends one control line and returns the answer line.
    func control(_ line: String) throws -> String {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(controlPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw PumpProcessSupport.SupportError.io("connect \(controlPath)") }
        let request = Array((line + "\n").utf8)
        _ = request.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !answer.contains(UInt8(ascii: "\n")) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 5000)
            if ready < 0, errno == EINTR { continue }
            guard ready == 1 else { throw PumpProcessSupport.SupportError.timeout }
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            answer += buffer.prefix(count)
        }
        return String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    deinit {
        if process.isRunning { stop() }
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: linkPath).deletingLastPathComponent().path)
    }

    private func stop() {
        process.terminate()
        if !PumpProcessSupport.waitFor(.seconds(5), { !process.isRunning }) {
            Issue.record("simulator ignored SIGTERM")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// The host side of a serial port, opened by path with termios raw mode as a driver would.
final class SerialPortClient {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw PumpProcessSupport.SupportError.io("open \(path): errno \(errno)") }
        var settings = termios()
        tcgetattr(descriptor, &settings)
        cfmakeraw(&settings)
        cfsetispeed(&settings, speed_t(B19200))
        cfsetospeed(&settings, speed_t(B19200))
        tcsetattr(descriptor, TCSANOW, &settings)
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// What the port read.
    enum Received: Equatable {
        case bytes([UInt8])
        /// The device is gone: EIO or end of file.
        case gone
    }

    /// Reads until `complete` accepts the bytes, the device goes away, or `limit` passes.
    func receive(within limit: Duration = .seconds(5), until complete: ([UInt8]) -> Bool) -> Received {
        var received: [UInt8] = []
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var buffer = [UInt8](repeating: 0, count: 512)
        while !complete(received), clock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            // A signal interrupting poll or read is not the device going away.
            let ready = poll(&poller, 1, 20)
            if ready < 0, errno == EINTR { continue }
            guard ready >= 0 else { return .gone }
            guard poller.revents != 0 else { continue }
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                received += buffer.prefix(count)
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                return .gone
            }
        }
        return .bytes(received)
    }

    deinit { close(descriptor) }
}
