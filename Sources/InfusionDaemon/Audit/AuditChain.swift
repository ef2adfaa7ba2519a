/// The hash chain over audit records: each record's hash covers the previous hash and every stored field.
package enum AuditChain {
    /// The previous hash of the first record: 64 zeros.
    package static let genesisHash = String(repeating: "0", count: 64)

    /// SHA-256 over a canonical encoding of the previous hash, the sequence number and every entry field.
    ///
    /// Each field is written as its 8-byte big-endian byte count followed by its UTF-8 bytes, so no choice of
    /// field contents can make two different records encode alike. An absent actor encodes differently from any
    /// present one.
    package static func hash(sequence: Int64, entry: AuditEntry, previousHash: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + entry.payload.utf8.count)
        let fields: [String] = [
            previousHash,
            String(sequence),
            entry.kind.rawValue,
            entry.chairID,
            String(entry.monotonicNanoseconds),
            entry.wallClock,
            entry.actor.map { "uid=\($0.uid)" } ?? "",
            entry.actor.map { "role=\($0.role)" } ?? "",
            entry.payload,
        ]
        for field in fields {
            let utf8 = Array(field.utf8)
            let count = UInt64(utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: count >> UInt64(shift)))
            }
            bytes.append(contentsOf: utf8)
        }
        return SHA256.hexDigest(bytes)
    }
}
