/// Why ``AuditWriter/recordDurably(_:)`` could not confirm a record as durable.
package enum AuditWriterError: Error, Equatable, Sendable {
    /// The queue was at its bound; the record was not kept and is counted as dropped.
    case queueFull
    /// The commit holding the record failed; the record is held and will be written when the store
    /// accepts writes again, but it is not durable now, so the command must not be acknowledged as done.
    case notDurable(reason: String)
    /// The writer has stopped; the record was not kept.
    case stopped
}
