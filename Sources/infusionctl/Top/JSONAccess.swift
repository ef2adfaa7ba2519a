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

    /// A monotonic `{"nanoseconds":N}` time.
    var nanoseconds: Int64? {
        switch self["nanoseconds"] {
        case .integer(let value)?: value
        case .number(let value)?: Int64(exactly: value.rounded())
        default: nil
        }
    }
}
