#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A request's `id` as the client wrote it: a string, or a number kept as its exact JSON text, so the reply
/// echoes it byte for byte (`12345678901234567890123` comes back as written, not as `1.2345678901234568e+22`;
/// `1.50` as `1.50`). docs/PROTOCOL.md, "Requests".
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    /// The number's text exactly as it appeared in the request (RFC 8259 number grammar).
    case number(String)

    /// The id as JSON text, for the reply.
    public var jsonText: [UInt8] {
        switch self {
        case .string(let text): LineCoding.jsonString(text)
        case .number(let text): Array(text.utf8)
        }
    }

    public var description: String { String(decoding: jsonText, as: UTF8.self) }
}

extension RequestID: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(String(value)) }
}

extension RequestID: Codable {
    /// Reads a string or a number; a number read through `Decoder` has lost its text, so it is written back in
    /// the shortest form that reads as the same value (the daemon's own parser keeps the text instead).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let integer = try? container.decode(Int64.self) {
            self = .number(String(integer))
        } else {
            self = .number("\(try container.decode(Double.self))")
        }
    }

    /// Writes a string as such; a number as the `Int64` or `Decimal` its text reads as (an encoder cannot write
    /// raw text; replies do not come through here but through ``jsonText``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let text):
            if let integer = Int64(text) {
                try container.encode(integer)
            } else if let decimal = Decimal(string: text) {
                // Decimal keeps up to 38 significant digits, where a Double keeps 17.
                try container.encode(decimal)
            } else {
                try container.encode(Double(text) ?? 0)
            }
        }
    }
}
