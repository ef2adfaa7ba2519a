#if canImport(Glibc)
internal import Glibc
#endif

/// The audit store: where it lives and how much it keeps (docs/AUDIT.md).
public struct AuditSettings: Codable, Sendable, Equatable {
    /// The state directory holding `audit.sqlite`. Nil means systemd's `$STATE_DIRECTORY` when set
    /// (`StateDirectory=infusiond` in the unit), else `/var/lib/infusiond`.
    public var directory: String? = nil
    /// Records held at most (queued, or held while the disk refuses writes) before new ones are counted as lost.
    public var queueCapacity: Int = 50_000
    /// About the most bytes those records may hold in memory (a run of large records, such as admin notices,
    /// reaches this long before the count).
    public var queueBytes: Int = 16 << 20
    /// How long records nobody waits for (device readings, events, checkpoints) wait to be committed together with
    /// those that follow; a chair command's record is committed at once, with everything queued. 0: no waiting.
    public var commitDelayMilliseconds: Int = 50
    /// How long the event journal's lines (every published event, kept for `watch` `since`) wait for company. Longer
    /// than `commitDelayMilliseconds`: the journal is a delivery aid, not the evidence, and a replay serves its newest
    /// lines from memory; a crash that loses them shows a replaying client a `gap`. An audit record queued meanwhile
    /// brings the commit forward to its own deadline.
    public var journalDelayMilliseconds: Int = 1_000
    /// The event journal keeps the newest this many events and deletes older ones as new ones are written, so it
    /// cannot fill the disk; a client asking to replay from before them gets a `gap` (reason `pruned`). The default
    /// holds about seven hours of eight infusing chairs, some 300 MB (docs/AUDIT.md, "The event journal"). At least
    /// 10,000.
    public var journalRetainedEvents: Int = 1_000_000
    /// Records written per transaction at most.
    public var maximumBatch: Int = 512
    /// Seconds between write attempts while the store refuses writes (for example a full disk).
    public var retrySeconds: Double = 1
    /// The vitals trend keeps one reading per parameter per this many seconds (every cuff pressure is kept).
    /// Issue 7 asks for at least one row per parameter per 5 s.
    public var vitalsIntervalSeconds: Double = 5
    /// Pump read-backs and predicted concentrations are kept at least this often while they do not change
    /// (a read-back that differs from the one before is always kept).
    public var trendIntervalSeconds: Double = 5
    /// A chair's recovery checkpoint is written on every state change and command, else at most this often.
    public var checkpointIntervalSeconds: Double = 5
    /// Bytes set aside beside the store (`audit.reserve`) and given back when the disk fills: half to keep
    /// records durable while somebody frees space, half for the records still held at a stop (docs/AUDIT.md,
    /// "The reserve"). 0: no reserve.
    public var reserveBytes: Int = 64 << 20

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AuditSettings()
        directory = try container.decodeIfPresent(String.self, forKey: .directory)
        queueCapacity = try container.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? defaults.queueCapacity
        maximumBatch = try container.decodeIfPresent(Int.self, forKey: .maximumBatch) ?? defaults.maximumBatch
        queueBytes = try container.decodeIfPresent(Int.self, forKey: .queueBytes) ?? defaults.queueBytes
        commitDelayMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .commitDelayMilliseconds) ?? defaults.commitDelayMilliseconds
        journalDelayMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .journalDelayMilliseconds) ?? defaults.journalDelayMilliseconds
        journalRetainedEvents =
            try container.decodeIfPresent(Int.self, forKey: .journalRetainedEvents) ?? defaults.journalRetainedEvents
        retrySeconds = try container.decodeIfPresent(Double.self, forKey: .retrySeconds) ?? defaults.retrySeconds
        vitalsIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .vitalsIntervalSeconds) ?? defaults.vitalsIntervalSeconds
        trendIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .trendIntervalSeconds) ?? defaults.trendIntervalSeconds
        checkpointIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .checkpointIntervalSeconds)
            ?? defaults.checkpointIntervalSeconds
        reserveBytes = try container.decodeIfPresent(Int.self, forKey: .reserveBytes) ?? defaults.reserveBytes
        guard reserveBytes >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .reserveBytes, in: container, debugDescription: "reserveBytes must be 0 (no reserve) or more")
        }
        guard (0...1_000).contains(commitDelayMilliseconds) else {
            throw DecodingError.dataCorruptedError(
                forKey: .commitDelayMilliseconds, in: container, debugDescription: "commitDelayMilliseconds must be 0 to 1000")
        }
        guard (0...5_000).contains(journalDelayMilliseconds) else {
            throw DecodingError.dataCorruptedError(
                forKey: .journalDelayMilliseconds, in: container, debugDescription: "journalDelayMilliseconds must be 0 to 5000")
        }
        guard journalRetainedEvents >= 10_000 else {
            throw DecodingError.dataCorruptedError(
                forKey: .journalRetainedEvents, in: container, debugDescription: "journalRetainedEvents must be 10000 or more")
        }
        guard queueCapacity > 0, queueBytes > 0, maximumBatch > 0, retrySeconds > 0, vitalsIntervalSeconds > 0,
            vitalsIntervalSeconds <= 5, trendIntervalSeconds > 0, checkpointIntervalSeconds > 0
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .vitalsIntervalSeconds, in: container,
                debugDescription: "audit sizes and intervals must be positive, and vitalsIntervalSeconds at most 5")
        }
    }

    /// The directory in force: the configured one, else systemd's state directory, else the FHS default.
    public var effectiveDirectory: String {
        if let directory { return directory }
        if let fromSystemd = getenv("STATE_DIRECTORY").map({ String(cString: $0) }), !fromSystemd.isEmpty {
            // systemd passes a colon-separated list when several directories are configured.
            return String(fromSystemd.split(separator: ":").first ?? Substring(fromSystemd))
        }
        return "/var/lib/infusiond"
    }

    /// The database file.
    public var databasePath: String { effectiveDirectory + "/audit.sqlite" }

    /// The reserve file, on the database's file system.
    public var reservePath: String { effectiveDirectory + "/audit.reserve" }

}
