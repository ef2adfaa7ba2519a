/// Builds the daemon's outgoing lines. Replies start with `"reply"`, events with `"event"`, so the
/// two are told apart at a glance; the envelope keys come in a fixed order for people reading a
/// socat session, and payloads are encoded with sorted keys so the same state prints the same bytes.
///
/// Reply: `{"reply":"status","id":7,"ok":true,"result":{...}}` or
/// `{"reply":"status","id":7,"ok":false,"error":{"code":"forbidden","message":"..."}}`.
/// Topic event: `{"event":"notice","topic":"notices","seq":42,"data":{...}}`; `seq` is the daemon's event
/// cursor: one increasing number across all topics and connections that survives restarts, so a client
/// that reconnects with `watch` `since` its last `seq` misses nothing (docs/PROTOCOL.md "Event cursor").
/// Connection event (`hello`, `gap`, `overflow`, `shutdown`): `{"event":"hello","data":{...}}`, no topic, no seq.
public enum MessageFraming {
    /// A successful reply to `command`, with `result` encoded.
    public static func success(_ command: String, id: RequestID?, result: some Encodable) -> [UInt8] {
        reply(command, id: id, ok: true, body: Array(#","result":"#.utf8) + LineCoding.encodedData(result))
    }

    /// A failed reply. `command` is what the client asked for, or `"?"` when the line had none.
    public static func failure(_ command: String, id: RequestID?, error: WireError) -> [UInt8] {
        reply(command, id: id, ok: false, body: Array(#","error":"#.utf8) + LineCoding.encodedData(error))
    }

    /// A topic event line numbered `sequence` around `data`, which is already encoded.
    public static func event(_ name: String, topic: Topic, sequence: UInt64, data: [UInt8]) -> [UInt8] {
        EncodedEvent(name, topic: topic, sequence: sequence, data: data).line
    }

    /// A connection event line (no topic, no sequence number) around `data`, which is already encoded.
    public static func connectionEvent(_ name: String, data: [UInt8]) -> [UInt8] {
        var line = Array(#"{"event":"#.utf8) + LineCoding.jsonString(name)
        line += Array(#","data":"#.utf8) + data + Array("}\n".utf8)
        return line
    }

    private static func reply(_ command: String, id: RequestID?, ok: Bool, body: [UInt8]) -> [UInt8] {
        var line = Array(#"{"reply":"#.utf8) + LineCoding.jsonString(command)
        if let id {
            line += Array(#","id":"#.utf8) + id.jsonText
        }
        line += Array(#","ok":\#(ok)"#.utf8) + body
        line += Array("}\n".utf8)
        return line
    }
}

/// A topic event framed once for all its recipients and for the event journal: its number is the
/// daemon's, not a connection's, so every watcher gets the same bytes.
public struct EncodedEvent: Sendable, Hashable {
    public let sequence: UInt64
    public let topic: Topic
    /// The complete line, newline included.
    public let line: [UInt8]

    public init(_ name: String, topic: Topic, sequence: UInt64, data: [UInt8]) {
        // Into one buffer of the right size: every event of the daemon is framed here.
        var line: [UInt8] = []
        line.reserveCapacity(64 + name.utf8.count + data.count)
        line += #"{"event":"#.utf8
        JSONText.appendString(name, to: &line)
        line += #","topic":"#.utf8
        JSONText.appendString(topic.rawValue, to: &line)
        line += #","seq":"#.utf8
        JSONText.appendUnsigned(sequence, to: &line)
        line += #","data":"#.utf8
        line += data
        line += "}\n".utf8
        self.init(sequence: sequence, topic: topic, line: line)
    }

    /// An event already framed (read back from the event journal).
    public init(sequence: UInt64, topic: Topic, line: [UInt8]) {
        self.sequence = sequence
        self.topic = topic
        self.line = line
    }
}

/// The result of a command that has nothing to report but success.
public struct EmptyResult: Codable, Sendable, Hashable {
    public init() {}
}

/// Connection-level event names (not bound to a topic).
public enum ConnectionEvent {
    /// Sent first on every connection.
    public static let hello = "hello"
    /// The daemon is stopping; the connection closes after this.
    public static let shutdown = "shutdown"
    /// This client did not read its events fast enough; the connection closes after this.
    public static let overflow = "overflow"
    /// A replay (`watch` with `since`) reached events it cannot send; data is a `GapNotice`.
    public static let gap = "gap"
    /// Every connection event's name.
    public static let all: Set<String> = [hello, shutdown, overflow, gap]
}
