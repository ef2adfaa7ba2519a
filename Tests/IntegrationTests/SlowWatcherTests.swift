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

    /// Issue 21: a cut-off watcher received a line cut short and never the `overflow` event (it was dropped 5 s
    /// after the cut with part of a line in its socket). A watcher that stops reading for longer than that, then
    /// reads everything, gets whole lines only, then `overflow`, then the end of the connection.
    @Test(arguments: [(UInt32(0), 65_536), (UInt32(20_000), 4_096)])
    func aCutOffWatcherGetsWholeLinesThenOverflowThenTheEnd(pauseMicroseconds: UInt32, chunkBytes: Int) throws {
        let scratch = try ScratchDirectory()
        // Long notices (a 1.5 MB one is far more than the socket's buffer) so a line is still on its way at the cut.
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"maxLineBytes":4194304}}"#)
        let stalled = try LineClient(path: daemon.socketPath, receiveTimeout: 20)
        try stalled.readHello()
        _ = try stalled.request(#"{"cmd":"watch","topics":["notices"]}"#)
        let admin = try LineClient(path: daemon.socketPath)
        try admin.readHello()
        // The first is on its way, the second waits, the third finds more than the outbox's 1 MiB waiting.
        let padding = String(repeating: "n", count: 1_500_000)
        for index in 1...3 {
            #expect(try admin.request(#"{"cmd":"notice","text":"\#(index) \#(padding)"}"#).ok)
        }
        // Longer than the 5 s a cut-off client used to get.
        sleep(6)
        let bytes = try stalled.readToEnd(chunkBytes: chunkBytes, pauseMicroseconds: pauseMicroseconds)
        #expect(bytes.last == UInt8(ascii: "\n"), "the stream ends with a whole line")
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        var events: [String] = []
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                Issue.record("a line that does not parse: \(String(decoding: line.prefix(80), as: UTF8.self))…")
                continue
            }
            events.append(object["event"] as? String ?? "reply")
        }
        #expect(events.last == "overflow", "the last line is the overflow event: \(events.suffix(3))")
        #expect(events.dropLast().allSatisfy { $0 == "notice" }, "whole notices before it")
        #expect(events == ["notice", "overflow"], "the line on its way, whole, then the notice: \(events)")
        #expect(try admin.request(#"{"cmd":"ping"}"#).ok, "the daemon kept serving")
    }

    /// Issue 21: four watchers of 60 KB notices that stop reading took the daemon from 53 to 293 MB before the
    /// cut-off; each outbox is bounded in bytes (`clientQueueBytes`, 1 MiB by default), so they cost a few MB.
    @Test func watchersThatStopReadingLargeLinesCostAFewMegabytes() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"clientQueueLimit":1024}}"#)
        var stalled: [LineClient] = []
        for _ in 0..<4 {
            let client = try LineClient(path: daemon.socketPath)
            try client.readHello()
            _ = try client.request(#"{"cmd":"watch","topics":["notices"]}"#)
            stalled.append(client)
        }
        let admin = try LineClient(path: daemon.socketPath)
        try admin.readHello()
        func residentKilobytes(_ field: String) throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(daemon.process.processIdentifier)/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }
        let before = try residentKilobytes("VmRSS")
        let padding = String(repeating: "m", count: 60_000)
        // 500 notices of 60 KB: 30 MB for each watcher, which a line bound of 1024 let each of them hold (and the
        // hub's memory of recent events, 4096 of them, as much again).
        for index in 1...500 {
            #expect(try admin.request(#"{"cmd":"notice","text":"\#(index) \#(padding)"}"#).ok)
        }
        let peak = try residentKilobytes("VmHWM")
        #expect(before > 0 && peak > 0)
        #expect(peak - before < 48_000, "the daemon grew from \(before) kB to a peak of \(peak) kB")
        for client in stalled { client.close() }
    }
}
