/// A moment as the protocol carries it: ISO 8601 UTC with milliseconds on the wall clock
/// (`"2026-12-07T01:02:03.456Z"`, docs/PROTOCOL.md "Times"). The daemon converts its monotonic instants to
/// this when it maps a value to the wire; clients decode it.
public struct WireTimestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) {
        self.epochMilliseconds = epochMilliseconds
    }

    public var description: String { WireTime.text(epochMilliseconds: epochMilliseconds) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let milliseconds = WireTime.epochMilliseconds(of: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO 8601 UTC time such as 2026-12-07T01:02:03.456Z, got \(text)")
        }
        epochMilliseconds = milliseconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: WireTimestamp, rhs: WireTimestamp) -> Bool { lhs.epochMilliseconds < rhs.epochMilliseconds }
}
