import Foundation
@testable import InfusionDaemon
import NIOCore
import NIOEmbedded
import Testing
import WireProtocol

/// The hub's memory of recent events, which a replay serves before going live. The lines are read from the
/// client's outbox; the writer would take them from there on the channel's loop, which the test never runs (a
/// testing loop safe to use from the threads an async test resumes on).
@Suite struct EventHubTests {
    private struct Notice: Encodable { var text: String }

    private func client(of hub: EventHub) -> ClientConnection {
        ClientConnection(
            id: hub.makeConnectionID(), peer: PeerCredentials(pid: 1, uid: 0, gid: 0), role: .viewer, queueLimit: 100,
            overflowGrace: .seconds(1), channel: NIOAsyncTestingChannel())
    }

    /// What a replay from 0 queued: `gap` events as "gap FROM-TO", topic events as their `seq`.
    private func replayed(from hub: EventHub) async throws -> [String] {
        let client = client(of: hub)
        await hub.replay(to: client, since: 0, topics: [.notices])
        return try client.outbox.take().lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.readableBytesView)) as? [String: Any])
            if let data = object["data"] as? [String: Any], object["event"] as? String == ConnectionEvent.gap {
                return "gap \(data["from"] as? Int ?? -1)-\(data["to"] as? Int ?? -1)"
            }
            return "\(object["seq"] as? Int ?? -1)"
        }
    }

    @Test func memoryKeepsTheNewestEventsUpToItsCountAndReportsTheRestAsAGap() async throws {
        let hub = EventHub(recentCapacity: 3)
        for index in 1...5 { hub.publish(.notice, data: Notice(text: "\(index)")) }
        #expect(try await replayed(from: hub) == ["gap 1-2", "3", "4", "5"])
    }

    @Test func memoryIsBoundedInBytesButAlwaysKeepsTheNewestEvent() async throws {
        let large = String(repeating: "x", count: 1_000)
        let hub = EventHub(recentCapacity: 100, recentByteCapacity: 2_500)
        for _ in 1...4 { hub.publish(.notice, data: Notice(text: large)) }
        #expect(try await replayed(from: hub) == ["gap 1-2", "3", "4"])

        let tiny = EventHub(recentCapacity: 100, recentByteCapacity: 10)
        for _ in 1...2 { tiny.publish(.notice, data: Notice(text: large)) }
        #expect(try await replayed(from: tiny) == ["gap 1-1", "2"])
    }
}
