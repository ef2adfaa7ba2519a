import Foundation
@testable import InfusionDaemon
import NIOCore
import NIOEmbedded
import Testing
import WireProtocol

/// The hub's memory of recent events, which a replay serves before going live: what the client's socket receives
/// (a testing channel, whose loop runs the writer's tasks as a real one would).
@Suite struct EventHubTests {
    private struct Notice: Encodable { var text: String }

    /// What a replay from 0 wrote to the client: `gap` events as "gap FROM-TO", topic events as their `seq`.
    private func replayed(from hub: EventHub) async throws -> [String] {
        let channel = NIOAsyncTestingChannel()
        let client = ClientConnection(
            id: hub.makeConnectionID(), peer: PeerCredentials(pid: 1, uid: 0, gid: 0), role: .viewer, queueLimit: 100,
            overflowGrace: .seconds(1), channel: channel)
        await hub.replay(to: client, since: 0, topics: [.notices])
        client.outbox.close()
        try await client.writer.finished.get()
        var lines: [String] = []
        while let line = try await channel.readOutbound(as: ByteBuffer.self) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.readableBytesView)) as? [String: Any])
            if let data = object["data"] as? [String: Any], object["event"] as? String == ConnectionEvent.gap {
                let pruned = data["reason"] as? String == "pruned" ? " pruned" : ""
                lines.append("gap \(data["from"] as? Int ?? -1)-\(data["to"] as? Int ?? -1)\(pruned)")
            } else {
                lines.append("\(object["seq"] as? Int ?? -1)")
            }
        }
        return lines
    }

    @Test func memoryKeepsTheNewestEventsUpToItsCountAndReportsTheRestAsAGap() async throws {
        let hub = EventHub(recentCapacity: 3)
        for index in 1...5 { hub.publish(.notice, data: Notice(text: "\(index)")) }
        let replay = try await replayed(from: hub)
        #expect(replay == ["gap 1-2", "3", "4", "5"])
    }

    @Test func memoryIsBoundedInBytesButAlwaysKeepsTheNewestEvent() async throws {
        let large = String(repeating: "x", count: 1_000)
        let hub = EventHub(recentCapacity: 100, recentByteCapacity: 2_500)
        for _ in 1...4 { hub.publish(.notice, data: Notice(text: large)) }
        let replay = try await replayed(from: hub)
        #expect(replay == ["gap 1-2", "3", "4"])

        let tiny = EventHub(recentCapacity: 100, recentByteCapacity: 10)
        for _ in 1...2 { tiny.publish(.notice, data: Notice(text: large)) }
        let tinyReplay = try await replayed(from: tiny)
        #expect(tinyReplay == ["gap 1-1", "2"])
    }

    /// The journal (a real SQLite store, in memory) keeps only its newest events: a replay from before them reports
    /// the numbers pruned as such, then replays what is kept.
    @Test func aReplayFromBeforeTheJournalsOldestEventReportsThemPruned() async throws {
        let store = try AuditStore.inMemory(retainedJournalEvents: 3)
        let writer = AuditWriter(store: store, capacity: 64, maximumBatch: 64, retryInterval: .milliseconds(10))
        let runner = Task { await writer.run() }
        let hub = EventHub(journal: writer, recentCapacity: 1)
        for index in 1...10 {
            hub.publish(.notice, data: Notice(text: "\(index)"))
            // One commit each, so pruning runs as the journal grows.
            _ = await writer.committedStore()
        }
        #expect(try await store.oldestJournalledSequence() == 8)
        let replay = try await replayed(from: hub)
        #expect(replay == ["gap 1-7 pruned", "8", "9", "10"])
        writer.finish()
        await runner.value
    }
}
