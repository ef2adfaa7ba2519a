#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Encodes and decodes protocol lines: one JSON object per line, UTF-8, terminated by `\n`.
public enum LineCoding {
    /// The default upper bound on one line, newline excluded.
    public static let defaultMaximumLineBytes = 64 * 1024

    /// One JSON line for `value`, with its terminating newline. JSON escapes control characters,
    /// so the encoded object itself never contains a newline.
    public static func encodeLine(_ value: some Encodable) throws -> [UInt8] {
        var bytes = try WireJSONEncoder.encode(value)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Decodes a line (with or without its newline) as `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from line: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(line))
    }

    /// Decodes a parsed JSON value as `type`, for clients that first look at a message's kind and for
    /// a request's typed fields. A failure is a `DecodingError` whose coding path names the field, and
    /// integer fields take only whole numbers in range (no rounding, no truncation).
    public static func convert<T: Decodable>(_ value: JSONValue, to type: T.Type) throws -> T {
        try T(from: JSONValueDecoder(value))
    }
}

/// A message from the daemon as a client sees it: a reply or an event, told apart by their first key.
public enum IncomingMessage: Sendable {
    case reply(command: String, id: JSONValue?, ok: Bool, result: JSONValue?, error: WireError?)
    /// `seq` is nil for connection events (`hello`, `gap`, `overflow`, `shutdown`).
    case event(name: String, topic: Topic?, seq: UInt64?, data: JSONValue)

    /// Parses one line from the daemon.
    public static func parse(line: some Collection<UInt8>) throws -> IncomingMessage {
        let envelope = try LineCoding.decode(Envelope.self, from: line)
        if let command = envelope.reply {
            return .reply(
                command: command, id: envelope.id, ok: envelope.ok ?? false, result: envelope.result,
                error: envelope.error
            )
        }
        if let name = envelope.event {
            return .event(name: name, topic: envelope.topic, seq: envelope.seq, data: envelope.data ?? .null)
        }
        throw WireError.badJSON("a daemon message has neither 'reply' nor 'event'")
    }

    private struct Envelope: Decodable {
        var reply: String?
        var event: String?
        var id: JSONValue?
        var ok: Bool?
        var result: JSONValue?
        var error: WireError?
        var topic: Topic?
        var seq: UInt64?
        var data: JSONValue?
    }
}

extension LineCoding {
    /// `value` as compact JSON without a newline, for embedding as an event's `data`. Values of the
    /// protocol's own types always encode; should one not, the result is `null`, never a crash.
    public static func encodedData(_ value: some Encodable) -> [UInt8] {
        (try? WireJSONEncoder.encode(value)) ?? Array("null".utf8)
    }

    /// `value` as the reference encoder writes it: what `WireJSONEncoder` reproduces, and writes through where
    /// it does not (and what the differential tests and the `wire_encoder` fuzz target compare it with).
    package static func referenceEncoded(_ value: some Encodable) throws -> [UInt8] {
        [UInt8](try wireEncoder().encode(value))
    }

    /// The protocol's reference encoder: sorted keys, unescaped slashes. Times are already wall-clock text by then
    /// (`WireTimestamp`; the daemon maps its monotonic instants in one place per message kind). Lines are written
    /// by `WireJSONEncoder`, which writes the same bytes faster.
    static func wireEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    /// `string` as a JSON string literal, quotes and escapes included.
    public static func jsonString(_ string: String) -> [UInt8] {
        encodedData(string)
    }
}
