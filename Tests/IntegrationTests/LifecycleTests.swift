import Foundation
import Testing

/// Start-up, readiness, the socket file's life, and clean shutdown.
@Suite("Daemon lifecycle") struct LifecycleTests {
    @Test func notifiesReadyOnARealNotifySocket() throws {
        let scratch = try ScratchDirectory()
        let listener = try NotifyListener(path: scratch.file("notify.sock"))
        let daemon = try DaemonProcess(
            scratch: scratch, environment: ["NOTIFY_SOCKET": listener.path], waitForSocket: false)
        let ready = try listener.receive(timeout: 10)
        #expect(ready.contains("READY=1"), "\(ready)")
        #expect(ready.contains("STATUS=serving on \(daemon.socketPath)"))
        let client = try LineClient(path: daemon.socketPath)
        #expect(try client.readHello()["protocol"] as? Int == 2, "READY=1 means the socket already serves")
        client.close()
        #expect(try daemon.stop() == 0)
        var afterStop: [String] = []
        while !afterStop.contains(where: { $0.contains("STOPPING=1") }), afterStop.count < 5 {
            afterStop.append(try listener.receive(timeout: 5))
        }
        #expect(afterStop.contains { $0.contains("STOPPING=1") }, "\(afterStop)")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func signalStopsCleanlyTellingClients(signal: Int32) throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let watcher = try LineClient(path: daemon.socketPath)
        try watcher.readHello()
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)
        let idle = try LineClient(path: daemon.socketPath)
        try idle.readHello()
        #expect(try daemon.stop(signal: signal) == 0)
        let notice = try watcher.readJSON()
        #expect(notice["event"] as? String == "shutdown")
        #expect(try watcher.readLine() == nil, "then the connection closes")
        #expect(try idle.readJSON()["event"] as? String == "shutdown", "idle clients are told too")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket file is removed")
    }

    @Test func staleSocketFromACrashIsReplaced() throws {
        let scratch = try ScratchDirectory()
        let first = try DaemonProcess(scratch: scratch)
        #expect(try first.stop(signal: SIGKILL) == SIGKILL)
        #expect(FileManager.default.fileExists(atPath: first.socketPath), "SIGKILL leaves the socket file behind")
        let second = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: second.socketPath)
        #expect(try client.readHello()["protocol"] as? Int == 2)
    }

    @Test func liveSocketIsNeverStolen() throws {
        let scratch = try ScratchDirectory()
        let first = try DaemonProcess(scratch: scratch)
        let second = try DaemonProcess(scratch: scratch, waitForSocket: false)
        #expect(try second.waitForExit() != 0)
        #expect(second.logText.contains("another infusiond is serving"), "\(second.logText)")
        let client = try LineClient(path: first.socketPath)
        #expect(try client.request(#"{"cmd":"ping"}"#).ok, "the first daemon still serves")
    }

    @Test func regularFileAtTheSocketPathIsNotDeleted() throws {
        let scratch = try ScratchDirectory()
        try "precious".write(toFile: scratch.file("infusiond.sock"), atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(scratch: scratch, waitForSocket: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(try String(contentsOfFile: scratch.file("infusiond.sock"), encoding: .utf8) == "precious")
    }

    @Test func socketModeAndGroupFollowConfiguration() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"group":"nogroup","mode":"0660"}}"#)
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.socketPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        #expect((attributes[.groupOwnerAccountName] as? String) == "nogroup")
    }

    @Test func badConfigurationRefusesToStartAndSaysWhy() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(
            scratch: scratch, config: #"{"socket":{"maxLineBytes":"big"}}"#, waitForSocket: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.logText.contains("socket.maxLineBytes"), "\(daemon.logText)")
    }

    @Test func printConfigShowsDefaultsWithoutAFile() throws {
        let out = try Shell.run("\(BuiltProducts.path("infusiond")) --print-config")
        #expect(out.status == 0)
        #expect(out.stdout.contains(#""path" : "/run/infusiond/infusiond.sock""#), "\(out.stdout)")
        #expect(out.stdout.contains(#""mode" : "0660""#))
    }
}

/// A datagram socket standing in for systemd's notify socket.
final class NotifyListener {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let result = withUnixAddress(path) { bind(fd, $0, $1) }
        guard result == 0 else { throw Failure("bind \(path): \(errno)") }
    }

    /// The next datagram's text.
    func receive(timeout: Double) throws -> String {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { throw Failure("no notification within \(timeout) s") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return String(decoding: buffer[..<max(n, 0)], as: UTF8.self)
    }

    deinit { close(fd) }
}

/// The systemd watchdog is fed from the control thread's progress.
@Suite("Watchdog") struct WatchdogTests {
    @Test func pingsTheWatchdogWhileTheControlThreadTicks() throws {
        let scratch = try ScratchDirectory()
        let listener = try NotifyListener(path: scratch.file("notify.sock"))
        let daemon = try DaemonProcess(
            scratch: scratch, config: #"{"chairs":[{"id":"1"}]}"#,
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "300000"], waitForSocket: false)
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(5)
        while messages.filter({ $0.contains("WATCHDOG=1") }).count < 3, Date() < deadline {
            messages.append(try listener.receive(timeout: 2))
        }
        #expect(messages.filter { $0.contains("WATCHDOG=1") }.count >= 3, "\(messages)")
        #expect(messages.contains { $0.contains("STATUS=1 chair: 1 idle") }, "\(messages)")
        try daemon.stop()
    }

    /// A stalled control thread (test-only fault switch) silences the watchdog; systemd would restart.
    @Test func watchdogGoesQuietWhenTheControlThreadStalls() throws {
        let scratch = try ScratchDirectory()
        let listener = try NotifyListener(path: scratch.file("notify.sock"))
        let daemon = try DaemonProcess(
            scratch: scratch, arguments: ["--test-faults"],
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "300000"])
        func pings(during seconds: Double) -> Int {
            var count = 0
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let message = try? listener.receive(timeout: max(0.01, deadline.timeIntervalSinceNow)),
                    message.contains("WATCHDOG=1")
                {
                    count += 1
                }
            }
            return count
        }
        // Idle chairs tick every 500 ms by default; with WatchdogSec of 300 ms the daemon ticks every 50 ms instead, so
        // each check (every 100 ms) sees the counter move: about ten pings a second, not the two of a 500 ms tick,
        // which systemd would have taken for a hang.
        #expect(pings(during: 1) >= 6, "pinging at every check while healthy")
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        #expect(try client.request(#"{"cmd":"test-fault","fault":"stall-control","on":true}"#).ok)
        _ = pings(during: 0.3)
        #expect(pings(during: 1.5) == 0, "no pings while the control thread is stuck")
        #expect(daemon.logText.contains("control thread is not ticking"))
        #expect(try client.request(#"{"cmd":"test-fault","fault":"stall-control","on":false}"#).ok)
        #expect(pings(during: 1.5) >= 2, "pings resume with the thread")
        try daemon.stop()
    }

    @Test func testFaultsAreRefusedWithoutTheFlag() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        #expect(try client.request(#"{"cmd":"test-fault","fault":"stall-control"}"#).errorCode == "unknown-command")
    }

    @Test func noWatchdogPingsWithoutWatchdogUsec() throws {
        let scratch = try ScratchDirectory()
        let listener = try NotifyListener(path: scratch.file("notify.sock"))
        let daemon = try DaemonProcess(
            scratch: scratch, environment: ["NOTIFY_SOCKET": listener.path], waitForSocket: false)
        #expect(try listener.receive(timeout: 5).contains("READY=1"))
        #expect(throws: Failure.self) {
            let next = try listener.receive(timeout: 1)
            if next.contains("WATCHDOG=1") { Issue.record("pinged without a watchdog") }
            throw Failure("no more messages (\(next))")
        }
        try daemon.stop()
    }
}
