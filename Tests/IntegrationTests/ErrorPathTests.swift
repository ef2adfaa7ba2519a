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
}
