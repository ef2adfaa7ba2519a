package import Foundation

/// What the bridge keeps on disk (`<state-dir>/cursor.json`), rewritten atomically after every message the
/// engine acknowledges (or that is set aside) and after every gap reported.
///
/// `cursor` is the `seq` of the last event whose messages are all acknowledged: the bridge resumes with
/// `watch` `since` it. `chairs` is the fold as of that event, so the replay builds the same messages again.
/// When an event gave several messages and only the first `partial.acknowledged` were acknowledged, those are
/// not sent again.
package struct BridgeState: Codable, Equatable, Sendable {
    package var version = 1
    package var cursor: UInt64 = 0
    package var partial: Partial?
    /// Set on a bridge's first start in `live` mode: events up to this `seq` are folded but not sent.
    package var historyThrough: UInt64?
    package var chairs: [String: ChairState] = [:]
    package var counters = Counters()

    package struct Partial: Codable, Equatable, Sendable {
        package var seq: UInt64
        package var acknowledged: Int

        package init(seq: UInt64, acknowledged: Int) {
            self.seq = seq
            self.acknowledged = acknowledged
        }
    }

    /// Running totals since the state file was made, for the log and for people.
    package struct Counters: Codable, Equatable, Sendable {
        package var accepted = 0
        package var retried = 0
        package var setAside = 0
        package var gaps = 0
        package var unreadableEvents = 0

        package init() {}
    }

    package init() {}

    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    package static func decode(_ data: Data) throws -> BridgeState {
        let state = try JSONDecoder().decode(BridgeState.self, from: data)
        guard state.version == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown state version \(state.version)"))
        }
        return state
    }
}
