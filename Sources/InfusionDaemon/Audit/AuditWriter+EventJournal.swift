package import WireProtocol

/// The audit writer keeps the event journal: events are written in its transactions and read from its store.
extension AuditWriter: EventJournal {
    package func events(after sequence: UInt64, limit: Int) async throws -> [EncodedEvent] {
        try await store.events(after: sequence, limit: limit)
    }

    package func oldestJournalledSequence() async throws -> UInt64? {
        try await store.oldestJournalledSequence()
    }
}
