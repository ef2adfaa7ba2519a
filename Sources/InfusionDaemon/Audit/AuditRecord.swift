/// An audit entry as stored: its place in the chain and the hashes that tie it to the record before.
package struct AuditRecord: Sendable, Hashable {
    /// 1 for the first record, then one more for each record; a gap means a record was removed.
    package var sequence: Int64
    package var entry: AuditEntry
    /// The hash of the record before, or ``AuditChain/genesisHash`` for the first.
    package var previousHash: String
    /// ``AuditChain/hash(sequence:entry:previousHash:)`` of this record.
    package var hash: String

    package init(sequence: Int64, entry: AuditEntry, previousHash: String, hash: String) {
        self.sequence = sequence
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}
