/// What the audit writer reports to the daemon, which raises a technical alarm while it is degraded.
package struct AuditWriterStatus: Sendable, Equatable {
    package enum Health: Sendable, Equatable {
        /// The last write committed and nothing was ever dropped.
        case healthy
        /// The last write failed (the reason says why, for example "disk full"), or records were dropped
        /// since start; a dropped record is a permanent gap in this run's log, so it keeps the writer degraded.
        case degraded(reason: String)
    }

    package var health: Health
    /// Records accepted but not yet committed: queued, or held after a failed write and retried.
    package var held: Int
    /// Records refused because the queue was at its bound (or still held when the writer stopped).
    package var dropped: Int
    /// Records committed since start.
    package var written: Int
    /// The newest committed record's sequence number and hash: the anchor to keep outside the store, so a
    /// later verification can tell that no record after it was removed.
    package var lastSequence: Int64?
    package var lastHash: String?
    /// Published events queued for the event journal and not yet written.
    package var eventsHeld: Int
    /// Published events the journal could not keep (its share of the queue was full, or the writer stopped).
    package var eventsDropped: Int

    package init(
        health: Health, held: Int, dropped: Int, written: Int, lastSequence: Int64? = nil, lastHash: String? = nil,
        eventsHeld: Int = 0, eventsDropped: Int = 0
    ) {
        self.eventsHeld = eventsHeld
        self.eventsDropped = eventsDropped
        self.health = health
        self.held = held
        self.dropped = dropped
        self.written = written
        self.lastSequence = lastSequence
        self.lastHash = lastHash
    }
}
