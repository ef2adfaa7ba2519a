/// UUIDs derived from content, so the same records always export with the same ids (tests can pin
/// them, a re-export replaces rather than duplicates). RFC 9562 version 8 ("custom") layout: the
/// 128 bits come from hashing the name, then the version and variant bits are set.
///
/// The hash is not cryptographic: ids must be stable and distinct, not secret or unforgeable.
public struct DeterministicUUID: Hashable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    /// The UUID for `name`; equal names give equal UUIDs.
    public init(name: String) {
        let bytes = Array(name.utf8)
        var high = Self.fnv1a(bytes, offset: 0xcbf2_9ce4_8422_2325)
        var low = Self.fnv1a(bytes.reversed(), offset: 0x8422_2325_cbf2_9ce4 ^ UInt64(bytes.count))
        high = Self.mix(high ^ Self.mix(low))
        low = Self.mix(low &+ high)
        self.high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000  // version 8
        self.low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10
    }

    /// Lower-case 8-4-4-4-12 text.
    public var description: String {
        let hex = Self.hex(high, digits: 16) + Self.hex(low, digits: 16)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            let start = hex.index(hex.startIndex, offsetBy: range.lowerBound)
            let end = hex.index(hex.startIndex, offsetBy: range.upperBound)
            return String(hex[start..<end])
        }
        return groups.joined(separator: "-")
    }

    /// `urn:uuid:<uuid>`, as FHIR `fullUrl` and references use it.
    public var urn: String { "urn:uuid:\(description)" }

    private static func fnv1a(_ bytes: some Sequence<UInt8>, offset: UInt64) -> UInt64 {
        var hash = offset
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The splitmix64 finaliser: spreads every input bit over the output.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }
}
