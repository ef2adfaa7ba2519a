#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// One request line: `{"cmd": "...", "id": <optional scalar>, ...fields}`.
///
/// Parsing is two-stage: the line must be a JSON object with a string `cmd`; command-specific fields
/// are then read through typed accessors that name the field in their error.
public struct Request: Sendable, Hashable {
    /// The command name, e.g. `status`.
    public var command: String
    /// The client's correlation id, echoed in the reply; any JSON scalar.
    public var id: JSONValue?
    /// Every other field of the object.
    public var fields: [String: JSONValue]

    public init(command: String, id: JSONValue? = nil, fields: [String: JSONValue] = [:]) {
        self.command = command
        self.id = id
        self.fields = fields
    }

    /// Why a line could not be read as a request; carries the id when it could be read, so the
    /// error reply can still be correlated.
    public struct ParseFailure: Error, Sendable {
        public var error: WireError
        public var id: JSONValue?
        public var command: String?
    }

    /// Parses one line (without its newline).
    public static func parse(line: some Collection<UInt8>) -> Result<Request, ParseFailure> {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(line))
        } catch {
            return .failure(ParseFailure(error: .badJSON(Self.describe(error)), id: nil, command: nil))
        }
        guard case .object(var object) = value else {
            return .failure(ParseFailure(error: .badRequest("a request must be a JSON object, got \(value.typeName)")))
        }
        let id = object.removeValue(forKey: "id")
        if let id, !id.isScalar {
            return .failure(
                ParseFailure(error: .badRequest("field 'id' must be a string, number or null, got \(id.typeName)"))
            )
        }
        guard let commandValue = object.removeValue(forKey: "cmd") else {
            return .failure(ParseFailure(error: .badRequest("missing field 'cmd'"), id: id))
        }
        guard case .string(let command) = commandValue else {
            return .failure(
                ParseFailure(error: .badRequest("field 'cmd' must be a string, got \(commandValue.typeName)"), id: id)
            )
        }
        return .success(Request(command: command, id: id, fields: object))
    }

    private static func describe(_ error: any Error) -> String {
        if let decodingError = error as? DecodingError, case .dataCorrupted(let context) = decodingError {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}

extension Request.ParseFailure {
    init(error: WireError) {
        self.init(error: error, id: nil, command: nil)
    }

    init(error: WireError, id: JSONValue?) {
        self.init(error: error, id: id, command: nil)
    }
}

// MARK: - Typed field access

extension Request {
    /// The string field `key`, or nil when absent; a field of another type is an error.
    public func string(_ key: String) throws(WireError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw .badRequest("field '\(key)' must be a string, got \(other.typeName)")
        }
    }

    /// The number field `key`, or nil when absent; a field of another type is an error.
    public func number(_ key: String) throws(WireError) -> Double? {
        switch fields[key] {
        case nil, .null?: return nil
        case .integer(let value)?: return Double(value)
        case .number(let value)?: return value
        case let other?: throw .badRequest("field '\(key)' must be a number, got \(other.typeName)")
        }
    }

    /// The boolean field `key`, or nil when absent; a field of another type is an error.
    public func bool(_ key: String) throws(WireError) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw .badRequest("field '\(key)' must be true or false, got \(other.typeName)")
        }
    }

    /// The field `key` as a list of strings; a single string is accepted as a list of one.
    public func strings(_ key: String) throws(WireError) -> [String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?: return [value]
        case .array(let values)?:
            var result: [String] = []
            for value in values {
                guard case .string(let string) = value else {
                    throw .badRequest("field '\(key)' must be a list of strings, found a \(value.typeName)")
                }
                result.append(string)
            }
            return result
        case let other?: throw .badRequest("field '\(key)' must be a list of strings, got \(other.typeName)")
        }
    }

    /// The `topics` field parsed into topics; unknown names are an `unknown-topic` error.
    public func topics() throws(WireError) -> [Topic]? {
        guard let names = try strings("topics") else { return nil }
        var topics: [Topic] = []
        for name in names {
            guard let topic = Topic(rawValue: name) else { throw .unknownTopic(name) }
            topics.append(topic)
        }
        return topics
    }
}

extension Request: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(command, forKey: Key(stringValue: "cmd"))
        if let id { try container.encode(id, forKey: Key(stringValue: "id")) }
        for key in fields.keys.sorted() {
            try container.encode(fields[key], forKey: Key(stringValue: key))
        }
    }
}
