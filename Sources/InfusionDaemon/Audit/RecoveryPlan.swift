internal import Foundation
package import InfusionCore

/// What a starting daemon rebuilds: each chair's last checkpoint from the store, moved onto this boot's clock,
/// with how long the chair went unsupervised.
package struct RecoveryPlan: Sendable {
    package struct Chair: Sendable {
        package var index: Int
        package var checkpoint: ChairCheckpoint
        package var outage: Duration
    }

    /// Chairs with a session or a pending order to rebuild (other idle and discharged chairs are left out).
    package var chairs: [Chair]
    /// The adapter each chair role drove last (adoption key), so a different one found after the restart is
    /// refused rather than taken silently.
    package var rememberedAdapters: [ChairRole: String] = [:]

    /// Reads the last checkpoint of every configured chair.
    ///
    /// Within one boot the monotonic clock continues, so the outage is the difference of its readings; after
    /// a reboot it restarts from zero, so the wall clock measures the outage and the checkpoint's instants are
    /// moved onto the new clock.
    /// - Throws: store errors, or a decoding error naming the chair whose checkpoint cannot be read.
    package static func load(
        from store: AuditStore, chairIDs: [String], bootID: String = BootIdentity.current,
        now: MonotonicInstant, wallMillis: Int64 = AuditRecorder.wallMillisNow()
    ) throws -> RecoveryPlan {
        var chairs: [Chair] = []
        for (index, chairID) in chairIDs.enumerated() {
            guard let record = try store.lastRecord(kind: .checkpoint, chairID: chairID) else { continue }
            let stored: StoredCheckpoint
            do {
                stored = try JSONDecoder().decode(StoredCheckpoint.self, from: Data(record.entry.payload.utf8))
            } catch {
                throw RecoveryError(chair: chairID, sequence: record.sequence, problem: "\(error)")
            }
            guard stored.checkpoint.holdsAnything else { continue }
            if stored.bootID == bootID && stored.bootID != "unknown" {
                let outage = Duration.nanoseconds(max(0, now.nanoseconds - stored.monotonicNanoseconds))
                chairs.append(Chair(index: index, checkpoint: stored.checkpoint, outage: outage))
            } else {
                let outage = Duration.milliseconds(max(0, wallMillis - stored.wallMillis))
                let recordOnThisClock = now.nanoseconds - outage.nanosecondsClamped
                let shift = Duration.nanoseconds(recordOnThisClock - stored.monotonicNanoseconds)
                chairs.append(Chair(index: index, checkpoint: stored.checkpoint.shifted(by: shift), outage: outage))
            }
        }
        var remembered: [ChairRole: String] = [:]
        for chairID in chairIDs {
            for role in [DeviceRole.pump, .monitor] {
                guard let record = try store.lastRecord(
                        kind: .deviceBinding, chairID: chairID, payloadContaining: #""role":"\#(role.rawValue)""#),
                    let binding = try? JSONDecoder().decode(BindingRecord.self, from: Data(record.entry.payload.utf8))
                else { continue }
                remembered[ChairRole(chair: chairID, role: role)] = binding.adoptionKey
            }
        }
        return RecoveryPlan(chairs: chairs, rememberedAdapters: remembered)
    }
}

/// A checkpoint that cannot be read back: the daemon refuses to guess a chair's state.
package struct RecoveryError: Error, CustomStringConvertible {
    package var chair: String
    package var sequence: Int64
    package var problem: String
    package var description: String { "chair \(chair): checkpoint record \(sequence) is unreadable: \(problem)" }
}
