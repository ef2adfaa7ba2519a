/// Failures of the audit store beyond SQLite's own errors.
package enum AuditStoreError: Error, Equatable, Sendable {
    /// A stored row no longer has the types the schema wrote (it was altered outside the store); `verify()`
    /// names such a row as broken rather than throwing.
    case unreadableRecord(sequence: Int64?)
}
