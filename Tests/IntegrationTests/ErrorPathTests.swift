import Foundation
import Testing

/// Every error path of protocol v1: a clear error reply, and the connection stays usable unless the
/// error is an oversized line.
@Suite("Error paths") struct ErrorPathTests {
    @Test(arguments: [
        ("garbage", "bad-json"),
        (#"{"cmd":"status""#, "bad-json"),
        ("[1,2,3]", "bad-request"),
        (#"{"id":1}"#, "bad-request"),
        (#"{"cmd":5}"#, "bad-request"),
        (#"{"cmd":"status","id":{"a":1}}"#, "bad-request"),
        (#"{"cmd":"launch-missiles"}"#, "unknown-command"),
        (#"{"cmd":"watch","topics":7}"#, "bad-request"),
        (#"{"cmd":"watch","topics":["weather"]}"#, "unknown-topic"),
        (#"{"cmd":"watch"}"#, "bad-request"),
        (#"{"cmd":"notice","text":["x"]}"#, "bad-request"),
        ("\u{FF}\u{FE}", "bad-json"),
    ])
    func badLineGetsErrorAndConnectionStaysUsable(line: String, code: String) throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let reply = try client.request(line)
        #expect(reply.ok == false)
        #expect(reply.errorCode == code, "\(reply)")
        let message = (reply["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(!message.isEmpty, "a human message accompanies the code")
        let ping = try client.request(#"{"cmd":"ping","id":"still-here"}"#)
        #expect(ping["id"] as? String == "still-here")
    }

    @Test func unknownCommandEchoesItsId() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let reply = try client.request(#"{"cmd":"frobnicate","id":9}"#)
        #expect(reply["reply"] as? String == "frobnicate")
        #expect(reply["id"] as? Int == 9)
    }

    @Test func oversizedLineIsRefusedAndConnectionClosed() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let huge = #"{"cmd":"notice","text":""# + String(repeating: "x", count: 70_000) + "\"}\n"
        try? client.send(huge)
        let reply = try client.readJSON()
        #expect(reply.errorCode == "line-too-long")
        #expect(try client.readLine() == nil, "the daemon closes the connection after the error")
        let other = try LineClient(path: daemon.socketPath)
        try other.readHello()
        #expect(try other.request(#"{"cmd":"ping"}"#).ok, "the daemon keeps serving others")
    }

    @Test func lineAtTheLimitIsAccepted() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"maxLineBytes":2048}}"#)
        let client = try LineClient(path: daemon.socketPath)
        #expect(try client.readHello()["maxLineBytes"] as? Int == 2048)
        let prefix = #"{"cmd":"ping","pad":""#
        let line = prefix + String(repeating: "p", count: 2048 - prefix.utf8.count - 2) + "\"}"
        #expect(line.utf8.count == 2048)
        #expect(try client.request(line).ok)
        try? client.send(line.replacingOccurrences(of: "pp", with: "ppp") + "\n")
        #expect(try client.readJSON().errorCode == "line-too-long")
    }

    @Test func lastLineWithoutNewlineIsAnswered() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let out = try Shell.run(#"printf '{"cmd":"ping","id":1}' | socat -t 2 - UNIX-CONNECT:\#(daemon.socketPath)"#)
        #expect(out.lines.last?.contains(#""reply":"ping","id":1,"ok":true"#) == true, "\(out.stdout)")
    }

    /// Issue 21 over the real socket: the parser is exact where JSON and the protocol are, names the field in every
    /// refusal, and echoes an id exactly as the client wrote it.
    @Test(arguments: [
        (#"{"cmd":"ping",}"#, "bad-json", "trailing comma"),
        ("\u{FEFF}" + #"{"cmd":"ping"}"#, "bad-json", "byte-order mark"),
        (#"{"cmd":"ping","cmd":"status"}"#, "bad-request", "'cmd'"),
        (#"{"cmd":"watch","topics":["notices"],"since":1e-400}"#, "bad-json", "too small"),
        (#"{"cmd":"ping","id":true}"#, "bad-request", "'id'"),
        (#"{"cmd":"ping","id":null}"#, "bad-request", "'id'"),
        (#"{"cmd":"stop","chair":"1","reason":null}"#, "bad-request", "'reason'"),
        (#"{"cmd":"watch","topics":["notices"],"since":1.5}"#, "bad-request", "'since'"),
    ])
    func theParserRefusesWhatJSONAndTheSchemaRefuse(line: String, code: String, mention: String) throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let reply = try client.request(line)
        #expect(reply.errorCode == code, "\(reply)")
        let message = (reply["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains(mention), "\(message)")
        #expect(try client.request(#"{"cmd":"ping"}"#).ok, "the connection stays usable")
    }

    @Test func idsComeBackExactlyAsSent() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        for id in ["12345678901234567890123", "1.50", "-0", "6.02214076e23", #""abc \"q\"""#] {
            try client.send(#"{"cmd":"ping","id":\#(id)}"# + "\n")
            let line = try client.readLine() ?? ""
            #expect(line.hasPrefix(#"{"reply":"ping","id":\#(id),"ok":true"#), "\(line)")
        }
        // And through a real peer, as a clinic script would send it.
        let socat = try Shell.run(
            "printf '%s\\n' '{\"cmd\":\"status\",\"id\":12345678901234567890123}' | socat -t 2 - UNIX-CONNECT:\(daemon.socketPath)")
        #expect(socat.stdout.contains(#"{"reply":"status","id":12345678901234567890123,"ok":true"#), "\(socat.stdout.prefix(300))")
    }

    /// Issue 21: a thousand connections dropped before they were served logged 532 warnings. Repeated lines are
    /// rate-limited: the first in full, then one summary with the count.
    @Test func connectionsDroppedBeforeTheyAreServedLogASummaryNotALineEach() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        for _ in 0..<1_000 {
            let client = try LineClient(path: daemon.socketPath)
            client.close()
        }
        let message = "client refused: peer credentials unavailable"
        let summarised = eventually(within: 20) { daemon.logText.contains(message + ": ") }
        let lines = daemon.logText.split(separator: "\n").filter { $0.contains(message) }
        let full = lines.filter { !$0.contains(message + ": ") }
        #expect(!full.isEmpty, "the test dropped connections before they were served")
        #expect(full.count <= 3, "one line per 10 s window, not one per connection: \(full.count)")
        #expect(summarised, "the rest are summarised: \(lines.suffix(3))")
        let counted = lines.compactMap { line -> Int? in
            guard let range = line.range(of: message + ": ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(counted.reduce(0, +) > 0 && lines.contains { $0.contains("more in the last 10 s") }, "\(lines.suffix(3))")
        #expect(try LineClient(path: daemon.socketPath).readHello()["protocol"] != nil, "the daemon keeps serving")
    }
}
