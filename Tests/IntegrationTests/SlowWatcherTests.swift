import Foundation
import Testing

/// A watcher that stops reading is bounded and cut off; it never slows other clients or the daemon.
@Suite("Slow watchers") struct SlowWatcherTests {
    @Test func stalledWatcherIsDisconnectedWhileTheOtherGetsEveryEvent() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"clientQueueLimit":32}}"#)
        let reader = try LineClient(path: daemon.socketPath)
        try reader.readHello()
        _ = try reader.request(#"{"cmd":"watch","topics":["notices"]}"#)
        let stalled = try LineClient(path: daemon.socketPath)
        try stalled.readHello()
        _ = try stalled.request(#"{"cmd":"watch","topics":["notices"]}"#)

        let admin = try LineClient(path: daemon.socketPath)
        try admin.readHello()
        let count = 400
        let padding = String(repeating: "n", count: 4000)
        var received: [Int] = []
        for index in 1...count {
            #expect(try admin.request(#"{"cmd":"notice","text":"\#(index) \#(padding)"}"#).ok)
            // The reader keeps up as a real client would; the stalled one never reads.
            let event = try reader.readJSON()
            received.append(event["seq"] as? Int ?? -1)
            #expect((event["data"] as? [String: Any])?["text"] as? String == "\(index) \(padding)")
        }
        let first = received.first ?? 0
        #expect(first > 0 && received == Array(first..<(first + count)), "every event, in order, no gaps")

        let started = Date()
        #expect(try admin.request(#"{"cmd":"ping"}"#).ok)
        #expect(Date().timeIntervalSince(started) < 1, "the daemon stays responsive")

        var stalledLines: [[String: Any]] = []
        while let line = try stalled.readLine() {
            stalledLines.append(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:])
        }
        #expect(stalledLines.count < count, "the stalled watcher was cut off, not fed everything")
        #expect(stalledLines.last?["event"] as? String == "overflow", "its last message says why")
        let status = try admin.request(#"{"cmd":"status"}"#).result
        #expect(status["watchers"] as? Int == 1)
    }
}
