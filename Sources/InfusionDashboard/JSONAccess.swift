import WireProtocol

/// Lenient reading of event payloads: the dashboard shows what it understands and ignores the rest,
/// as the protocol asks of clients.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A wire time (ISO 8601 UTC text, docs/PROTOCOL.md "Times") as nanoseconds since the Unix epoch.
    var nanoseconds: Int64? {
        guard case .string(let text) = self, let milliseconds = WireTime.epochMilliseconds(of: text) else { return nil }
        return milliseconds * 1_000_000
    }
}
