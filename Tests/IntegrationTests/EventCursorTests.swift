import Foundation
import Testing

/// The event cursor (issue 19 item 5; docs/PROTOCOL.md "Event cursor"): `seq` survives restarts, `watch` with
/// `since` replays what a client missed from the journal and then goes live, and what cannot be replayed is a
/// `gap`, never a silent skip.
@Suite("Event cursor") struct EventCursorTests {
    /// Everything one connection received: events by `seq`, and the gap notices.
    struct Received {
        var events: [UInt64: String] = [:]
        var order: [UInt64] = []
        var gaps: [ClosedRange<UInt64>] = []

        func covers(_ sequence: UInt64) -> Bool { events[sequence] != nil || gaps.contains { $0.contains(sequence) } }
    }

    /// Reads lines for `seconds` (or until `quiet` seconds pass without one), sorting events from gaps.
    static func collect(_ client: LineClient, seconds: Double = 3, quiet: Double = 1) throws -> Received {
        var received = Received()
        client.setReceiveTimeout(quiet)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, let line = try? client.readLine() {
            let message = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if message["event"] as? String == "gap", let data = message["data"] as? [String: Any],
                let from = (data["from"] as? NSNumber)?.uint64Value, let to = (data["to"] as? NSNumber)?.uint64Value
            {
                received.gaps.append(from...to)
            } else if let seq = (message["seq"] as? NSNumber)?.uint64Value {
                received.events[seq] = line
                received.order.append(seq)
            }
        }
        return received
    }

    static let topics = #"["session","alarms","pump","devices","notices"]"#

    @Test func aWatcherThatReconnectsAfterASigkillMissesNothingAndSeesNothingTwice() throws {
        let (chair, operatorClient) = try SimulatedChair.infusingOnOximeter()
        operatorClient.close()
        let watcher = try chair.client()
        #expect(try watcher.request(#"{"cmd":"watch","topics":\#(Self.topics),"since":0}"#).ok)
        let before = try Self.collect(watcher)
        watcher.close()
        let lastSeen = try #require(before.order.max(), "events while infusing")
        #expect(before.order == before.order.sorted() && Set(before.order).count == before.order.count)
        // The intake and start were published before this watcher connected: `since` 0 replayed them.
        #expect(before.events.values.contains { $0.contains(#""to":"infusing""#) })

        try chair.restartDaemon(after: SIGKILL)

        let after = try chair.client()
        let reply = try after.request(#"{"cmd":"watch","topics":\#(Self.topics),"since":\#(lastSeen)}"#)
        #expect(reply.ok, "\(reply)")
        let resumed = try Self.collect(after)
        // The restore and the reconciliation happened before this client connected; the cursor brings them.
        #expect(resumed.events.values.contains { $0.contains(#""event":"session.restored""#) }, "\(resumed.events.values)")
        #expect(resumed.order.allSatisfy { $0 > lastSeen }, "nothing seen before is sent again")
        #expect(resumed.order == resumed.order.sorted() && Set(resumed.order).count == resumed.order.count)
        // What the killed daemon published but had not made durable cannot be vouched for: a gap says so.
        let firstNew = try #require(resumed.order.first)
        #expect(firstNew == lastSeen + 1 || resumed.gaps.contains { $0.lowerBound == lastSeen + 1 && $0.upperBound == firstNew - 1 },
            "the numbers between the last event seen and the new run's first are accounted for: \(resumed.gaps)")

        // A client that replays everything gets each event the first watcher saw, byte for byte, unless a gap
        // names it (published, not yet durable when the daemon was killed), and the new run's events too.
        let everything = try chair.client()
        #expect(try everything.request(#"{"cmd":"watch","topics":\#(Self.topics),"since":0}"#).ok)
        let replayed = try Self.collect(everything, seconds: 5)
        for (sequence, line) in before.events {
            #expect(replayed.covers(sequence), "event \(sequence) neither replayed nor reported missing")
            if let again = replayed.events[sequence] { #expect(again == line, "event \(sequence) replayed as sent") }
        }
        for sequence in resumed.order { #expect(replayed.covers(sequence)) }
        #expect(replayed.gaps.count <= 1, "one gap at most, where the daemon was killed: \(replayed.gaps)")
        // The journal is durable: most of what the first watcher saw was replayed.
        #expect(before.events.keys.filter { replayed.events[$0] != nil }.count >= before.events.count / 2)
    }

    @Test func aCleanRestartContinuesTheNumberingWithoutAGap() throws {
        let scratch = try ScratchDirectory()
        var daemon = try DaemonProcess(scratch: scratch)
        let admin = try LineClient(path: daemon.socketPath)
        try admin.readHello()
        #expect(try admin.request(#"{"cmd":"notice","text":"before"}"#).ok)
        admin.close()
        let before = try LineClient(path: daemon.socketPath)
        try before.readHello()
        #expect(try before.request(#"{"cmd":"watch","topics":["notices"],"since":0}"#).ok)
        let first = try #require((try Self.collect(before, seconds: 1).order.last), "the notice, replayed")
        before.close()
        #expect(try daemon.stop(signal: SIGTERM) == 0)
        daemon = try DaemonProcess(scratch: scratch)

        let watcher = try LineClient(path: daemon.socketPath)
        try watcher.readHello()
        let reply = try watcher.request(#"{"cmd":"watch","topics":["notices"],"since":\#(first)}"#)
        #expect(reply.ok && (reply.result["lastSeq"] as? NSNumber)?.uint64Value == first, "\(reply)")
        let sender = try LineClient(path: daemon.socketPath)
        try sender.readHello()
        #expect(try sender.request(#"{"cmd":"notice","text":"after"}"#).ok)
        let received = try Self.collect(watcher, seconds: 1.5)
        #expect(received.gaps.isEmpty, "a clean stop leaves nothing unaccounted for")
        #expect(received.order == [first + 1], "the next number, live: \(received.order)")
    }

    @Test func sinceBelongsToTheFirstWatchAndMustBeAWholeNumber() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        #expect(try client.request(#"{"cmd":"watch","topics":["notices"],"since":-1}"#).errorCode == "bad-request")
        #expect(try client.request(#"{"cmd":"watch","topics":["notices"],"since":"5"}"#).errorCode == "bad-request")
        #expect(try client.request(#"{"cmd":"watch","topics":["notices"]}"#).ok)
        #expect(try client.request(#"{"cmd":"watch","topics":["alarms"],"since":0}"#).errorCode == "already-watching")
    }
}
