/// Builds the daemon's outgoing lines. Replies start with `"reply"`, events with `"event"`, so the
/// two are told apart at a glance; the envelope keys come in a fixed order for people reading a
/// socat session, and payloads are encoded with sorted keys so the same state prints the same bytes.
///
/// Reply: `{"reply":"status","id":7,"ok":true,"result":{...}}` or
/// `{"reply":"status","id":7,"ok":false,"error":{"code":"forbidden","message":"..."}}`.
/// Event: `{"event":"notice","topic":"notices","seq":42,"data":{...}}`; `seq` counts every event sent
/// on one connection from 1 without gaps, so a client can tell it missed nothing.
public enum MessageFraming {
    /// A successful reply to `command`, with `result` encoded.
    public static func success(_ command: String, id: JSONValue?, result: some Encodable) -> [UInt8] {
        reply(command, id: id, ok: true, body: Array(#","result":"#.utf8) + LineCoding.encodedData(result))
    }

    /// A failed reply. `command` is what the client asked for, or `"?"` when the line had none.
    public static func failure(_ command: String, id: JSONValue?, error: WireError) -> [UInt8] {
        reply(command, id: id, ok: false, body: Array(#","error":"#.utf8) + LineCoding.encodedData(error))
    }

    /// An event line around `data`, which is already encoded so one encoding serves every watcher.
    public static func event(_ name: String, topic: Topic?, sequence: UInt64, data: [UInt8]) -> [UInt8] {
        var line: [UInt8] = []
        EncodedEvent(name, topic: topic, data: data).append(sequence: sequence, to: &line)
        return line
    }

    private static func reply(_ command: String, id: JSONValue?, ok: Bool, body: [UInt8]) -> [UInt8] {
        var line = Array(#"{"reply":"#.utf8) + LineCoding.jsonString(command)
        if let id {
            line += Array(#","id":"#.utf8) + LineCoding.encodedData(id)
        }
        line += Array(#","ok":\#(ok)"#.utf8) + body
        line += Array("}\n".utf8)
        return line
    }
}

/// An event framed once for all its recipients: only the sequence number differs per connection, so
/// each watcher's line is two copies and a number, not a fresh encoding.
public struct EncodedEvent: Sendable {
    /// `{"event":NAME,"topic":TOPIC,"seq":`
    private let head: [UInt8]
    /// `,"data":DATA}` and the newline.
    private let tail: [UInt8]

    public init(_ name: String, topic: Topic?, data: [UInt8]) {
        var head = Array(#"{"event":"#.utf8) + LineCoding.jsonString(name)
        if let topic {
            head += Array(#","topic":"#.utf8) + LineCoding.jsonString(topic.rawValue)
        }
        head += Array(#","seq":"#.utf8)
        self.head = head
        tail = Array(#","data":"#.utf8) + data + Array("}\n".utf8)
    }

    /// Appends the complete line, numbered `sequence`, to `buffer`.
    public func append(sequence: UInt64, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: head)
        buffer.append(contentsOf: String(sequence).utf8)
        buffer.append(contentsOf: tail)
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
}
