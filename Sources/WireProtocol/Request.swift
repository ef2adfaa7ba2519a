/// One request line: `{"cmd": "...", "id": <optional scalar>, ...fields}`.
///
/// Parsing is two-stage: the line must be a JSON object with a string `cmd`; command-specific fields
/// are then read through typed accessors that name the field in their error.
public struct Request: Sendable, Hashable {
    /// The command name, e.g. `status`.
    public var command: String
    /// The client's correlation id, echoed exactly in the reply: a string or a number.
    public var id: RequestID?
    /// Every other field of the object.
    public var fields: [String: JSONValue]

    public init(command: String, id: RequestID? = nil, fields: [String: JSONValue] = [:]) {
        self.command = command
        self.id = id
        self.fields = fields
    }

    /// Why a line could not be read as a request; carries the id when it could be read, so the
    /// error reply can still be correlated.
    public struct ParseFailure: Error, Sendable {
        public var error: WireError
        public var id: RequestID?
        public var command: String?
    }

    /// Parses one line (without its newline).
    ///
    /// Exact where JSON and the protocol are (issue 21; docs/PROTOCOL.md "Requests"): RFC 8259 only
    /// (no byte-order mark, trailing comma or comment; a number must be representable), no member named
    /// twice, nesting at most `JSONReader.maximumDepth` deep, an `id` that is a string or a number (echoed
    /// exactly: a number's text is kept as written), and no field that is `null` (leave it out instead).
    public static func parse(line: some Collection<UInt8>) -> Result<Request, ParseFailure> {
        let value: JSONValue
        let numberTexts: [String: String]
        do {
            (value, numberTexts) = try JSONReader.read(line)
        } catch {
            switch error.kind {
            case .syntax: return .failure(ParseFailure(error: .badJSON("at byte \(error.offset): \(error.message)")))
            case .duplicateName, .tooDeep: return .failure(ParseFailure(error: .badRequest(error.message)))
            }
        }
        guard case .object(var object) = value else {
            return .failure(ParseFailure(error: .badRequest("a request must be a JSON object, got \(value.typeName)")))
        }
        let id: RequestID?
        switch object.removeValue(forKey: "id") {
        case nil:
            id = nil
        case .string(let text)?:
            id = .string(text)
        // The reader keeps the text of every top-level number: the id is echoed with exactly those digits.
        case .integer(let value)?:
            id = .number(numberTexts["id"] ?? String(value))
        case .number(let value)?:
            id = .number(numberTexts["id"] ?? "\(value)")
        case .null?:
            return .failure(ParseFailure(error: .badRequest("field 'id' is null; leave it out, or send a string or a number")))
        case let other?:
            return .failure(
                ParseFailure(error: .badRequest("field 'id' must be a string or a number, got \(other.typeName)")))
        }
        guard let commandValue = object.removeValue(forKey: "cmd") else {
            return .failure(ParseFailure(error: .badRequest("missing field 'cmd'"), id: id))
        }
        guard case .string(let command) = commandValue else {
            return .failure(
                ParseFailure(error: .badRequest("field 'cmd' must be a string, got \(commandValue.typeName)"), id: id)
            )
        }
        if let path = Self.nullField(in: .object(object)) {
            return .failure(
                ParseFailure(
                    error: .badRequest("field '\(path)' is null; leave out a field that has no value"), id: id,
                    command: command))
        }
        return .success(Request(command: command, id: id, fields: object))
    }

    /// The path of the first `null` inside `value` (`reason`, `aldrete.activity`, `topics[1]`), in key order.
    private static func nullField(in value: JSONValue, path: String = "") -> String? {
        switch value {
        case .null:
            return path
        case .object(let members):
            for key in members.keys.sorted() {
                let inner = path.isEmpty ? key : path + "." + key
                if let found = nullField(in: members[key] ?? .null, path: inner) { return found }
            }
            return nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = nullField(in: element, path: path + "[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

}

extension Request.ParseFailure {
    init(error: WireError) {
        self.init(error: error, id: nil, command: nil)
    }

    init(error: WireError, id: RequestID?) {
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

    /// The `since` field of `watch`: the last event sequence number the client saw (0: replay everything the
    /// store holds). A whole number from 0; anything else is an error naming the field.
    public func since() throws(WireError) -> UInt64? {
        switch fields["since"] {
        case nil, .null?: return nil
        case .integer(let value)? where value >= 0: return UInt64(value)
        case let other?:
            throw .badRequest("field 'since' must be a whole number from 0 (the last 'seq' seen), got \(other.typeName)")
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
