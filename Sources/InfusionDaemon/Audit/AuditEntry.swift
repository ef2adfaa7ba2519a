#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One fact to be audited, before the store gives it a place in the chain.
///
/// The producer fills these fields; the store assigns the sequence number and the hashes, so no caller can
/// forge a chain position.
package struct AuditEntry: Sendable, Hashable {
    package var kind: AuditKind
    /// The chair the fact belongs to; the daemon-wide facts use an agreed chair id of its choosing.
    package var chairID: String
    /// The daemon's monotonic clock, in nanoseconds; the ordering of record times.
    package var monotonicNanoseconds: Int64
    /// Wall-clock time as UTC ISO 8601, kept for people reading the record; never used to order or decide.
    package var wallClock: String
    /// Who caused it, where a person did.
    package var actor: AuditActor?
    /// The fact's details as JSON text; the store keeps and hashes it byte for byte.
    package var payload: String

    package init(
        kind: AuditKind,
        chairID: String,
        monotonicNanoseconds: Int64,
        wallClock: String = AuditEntry.wallClockNow(),
        actor: AuditActor? = nil,
        payload: String
    ) {
        self.kind = kind
        self.chairID = chairID
        self.monotonicNanoseconds = monotonicNanoseconds
        self.wallClock = wallClock
        self.actor = actor
        self.payload = payload
    }

    /// The current wall-clock time as UTC ISO 8601 with milliseconds (for example `2026-11-28T00:40:12.345Z`).
    package static func wallClockNow() -> String {
        Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Milliseconds since the Unix epoch of a stored wall-clock text, with or without fractional seconds.
    package static func epochMilliseconds(of wallClock: String) -> Int64? {
        let date = (try? Date(wallClock, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(wallClock, strategy: Date.ISO8601FormatStyle()))
        return date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
