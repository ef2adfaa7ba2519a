import Foundation
import Testing

/// Protocol v1 over the real socket of a real infusiond.
@Suite("Socket protocol") struct SocketProtocolTests {
    @Test func helloCarriesVersionsAndRole() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        let hello = try client.readJSON()
        #expect(hello["event"] as? String == "hello")
        #expect(hello["seq"] == nil, "a connection event is not in the event cursor")
        let data = try #require(hello["data"] as? [String: Any])
        #expect(data["protocol"] as? Int == 2)
        #expect(data["daemon"] as? String == "0.1.0")
        #expect(data["role"] as? String == "admin", "root is admin")
        #expect(data["maxLineBytes"] as? Int == 65536)
    }

    @Test func statusEchoesIdAndReportsTheDaemon() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let reply = try client.request(#"{"cmd":"status","id":"s-1"}"#)
        #expect(reply["reply"] as? String == "status")
        #expect(reply["id"] as? String == "s-1")
        #expect(reply.ok)
        #expect(reply.result["pid"] as? Int32 == daemon.process.processIdentifier)
        // DaemonProcess's readiness probe connected and closed just before; on a loaded machine the daemon may
        // not have seen that close yet, so the count settles to this one client.
        var clients = reply.result["clients"] as? Int
        let deadline = Date().addingTimeInterval(10)
        while clients != 1, Date() < deadline {
            usleep(50_000)
            clients = try client.request(#"{"cmd":"status"}"#).result["clients"] as? Int
        }
        #expect(clients == 1)
        let numeric = try client.request(#"{"cmd":"ping","id":42}"#)
        #expect(numeric["id"] as? Int == 42)
        #expect(numeric.result["pong"] as? Bool == true)
    }

    @Test func socatOneLiner() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let out = try Shell.run(#"echo '{"cmd":"status"}' | socat - UNIX-CONNECT:\#(daemon.socketPath)"#)
        #expect(out.status == 0)
        #expect(out.lines.count == 2, "hello then the reply: \(out.stdout)")
        #expect(out.lines.first?.hasPrefix(#"{"event":"hello","data":{"#) == true)
        #expect(out.lines.last?.hasPrefix(#"{"reply":"status","ok":true,"result":{"#) == true)
    }

    @Test func ncatOneLiner() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let out = try Shell.run(#"echo '{"cmd":"status"}' | ncat -U \#(daemon.socketPath)"#, timeout: 10)
        #expect(out.status == 0, "ncat returns once the daemon closes after the reply")
        #expect(out.lines.last?.hasPrefix(#"{"reply":"status","ok":true"#) == true, "\(out.stdout)")
    }

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let out = try Shell.run(
            #"printf '{"id":1,"cmd":"ping"}\n{"id":2,"cmd":"version"}\n{"id":3,"cmd":"help"}\n' | socat -t 2 - UNIX-CONNECT:\#(daemon.socketPath)"#)
        let ids = out.lines.dropFirst().compactMap { line -> Int? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["id"] as? Int
        }
        #expect(ids == [1, 2, 3])
    }

    @Test func longLivedSocatWatchReceivesNotices() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let watcherOutput = scratch.file("watch.jsonl")
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = [
            "-c",
            #"echo '{"cmd":"watch","topics":["notices"]}' | socat -T 10 -,ignoreeof UNIX-CONNECT:\#(daemon.socketPath) > \#(watcherOutput)"#,
        ]
        try watcher.run()
        defer { watcher.terminate() }
        try waitForWatchers(daemon, count: 1)
        for text in ["first", "second", "third"] {
            let sent = try Shell.run("\(BuiltProducts.path("infusionctl")) notice \(text) --socket \(daemon.socketPath)")
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        let lines = try waitForLines(in: watcherOutput, count: 5)
        WireSchema.check(lines, from: "a socat watcher")
        let notices = lines.filter { $0.contains(#""event":"notice""#) }
        #expect(notices.count == 3)
        let numbers = try notices.map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["seq"] as? Int)
        }
        #expect(numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2], "the daemon's cursor, one per event")
        #expect(notices[0].contains("first") && notices[2].contains("third"))
        #expect(notices.allSatisfy { $0.contains(#""topic":"notices""#) })
    }

    @Test func unwatchStopsEvents() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let watched = try client.request(#"{"cmd":"watch","topics":["notices","alarms"]}"#)
        #expect(watched.result["topics"] as? [String] == ["alarms", "notices"])
        let remaining = try client.request(#"{"cmd":"unwatch","topics":"notices"}"#)
        #expect(remaining.result["topics"] as? [String] == ["alarms"])
        _ = try client.request(#"{"cmd":"notice","text":"not for you"}"#)
        let ping = try client.request(#"{"cmd":"ping","id":"after"}"#)
        #expect(ping["id"] as? String == "after", "no notice event arrived between the replies")
    }
}

/// Polls `status` until `count` clients watch something.
func waitForWatchers(_ daemon: DaemonProcess, count: Int) throws {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        let client = try LineClient(path: daemon.socketPath)
        defer { client.close() }
        try client.readHello()
        if try client.request(#"{"cmd":"status"}"#).result["watchers"] as? Int == count { return }
        usleep(20_000)
    }
    throw Failure("watchers never reached \(count)")
}

/// Polls a file until it holds at least `count` lines.
func waitForLines(in path: String, count: Int, timeout: Double = 10) throws -> [String] {
    let deadline = Date().addingTimeInterval(timeout)
    var lines: [String] = []
    while Date() < deadline {
        lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        if lines.count >= count { return lines }
        usleep(20_000)
    }
    throw Failure("expected \(count) lines in \(path), got \(lines)")
}
