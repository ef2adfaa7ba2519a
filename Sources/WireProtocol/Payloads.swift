/// Version facts shared by the daemon and its clients.
public enum WireProtocolVersion {
    /// The socket protocol version this build speaks. Bumped only for incompatible changes.
    public static let current = 2
    /// The infusiond release this build belongs to.
    public static let daemonVersion = "0.1.0"
}

/// The `hello` event every connection receives first, and the result of the `hello` command.
public struct HelloInfo: Codable, Sendable, Hashable {
    public var `protocol`: Int
    public var daemon: String
    public var role: Role
    public var uid: UInt32
    public var topics: [Topic]
    public var maxLineBytes: Int

    public init(protocol: Int, daemon: String, role: Role, uid: UInt32, topics: [Topic], maxLineBytes: Int) {
        self.protocol = `protocol`
        self.daemon = daemon
        self.role = role
        self.uid = uid
        self.topics = topics
        self.maxLineBytes = maxLineBytes
    }
}

/// The result of `status`: a summary of the daemon and every chair in full (`ChairStatus`, the core's model of
/// the chair as of the reply's instant).
public struct StatusInfo: Codable, Sendable, Hashable {
    public var daemon: String
    public var `protocol`: Int
    public var pid: Int32
    public var uptimeSeconds: Double
    public var clients: Int
    public var watchers: Int
    public var devices: Int
    public var chairs: [ChairStatus]
    /// The audit store's health; nil when the daemon runs without one.
    public var audit: AuditHealth?
    /// Control-thread ticks since start; nil from a daemon that does not report it.
    public var controlTicks: UInt64?
    /// Tick instants the control thread slept through (woke a whole period or more late).
    public var missedTicks: UInt64?

    public init(
        daemon: String, protocol: Int, pid: Int32, uptimeSeconds: Double, clients: Int, watchers: Int, devices: Int,
        chairs: [ChairStatus], audit: AuditHealth? = nil, controlTicks: UInt64? = nil, missedTicks: UInt64? = nil
    ) {
        self.daemon = daemon
        self.protocol = `protocol`
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.clients = clients
        self.watchers = watchers
        self.devices = devices
        self.chairs = chairs
        self.audit = audit
        self.controlTicks = controlTicks
        self.missedTicks = missedTicks
    }
}

/// One device as `devices` lists it: a configured chair role (with the device serving it, if any)
/// or a present device no chair uses. docs/PROTOCOL.md describes each field.
public struct DeviceSummary: Codable, Sendable, Hashable {
    public var path: String
    public var driver: String?
    public var vendor: String?
    public var model: String?
    public var serial: String?
    public var chair: String?
    public var role: String?
    public var link: String
    /// The physical USB port (udev ID_PATH).
    public var idPath: String?
    /// The kernel driver of the USB-serial bridge (`ftdi_sio`, `pl2303`, ...).
    public var bridge: String?
    /// `bound`, `waiting` (a chair role whose device is absent), `unbound`, `refused` or `conflicting`.
    public var binding: String?
    /// How the chair names the device: `path`, `serial`, `idPath` or `siteRule`.
    public var match: String?
    /// Why a device is refused or conflicting.
    public var reason: String?

    public init(
        path: String, driver: String? = nil, vendor: String? = nil, model: String? = nil, serial: String? = nil,
        chair: String? = nil, role: String? = nil, link: String, idPath: String? = nil, bridge: String? = nil,
        binding: String? = nil, match: String? = nil, reason: String? = nil
    ) {
        self.path = path
        self.driver = driver
        self.vendor = vendor
        self.model = model
        self.serial = serial
        self.chair = chair
        self.role = role
        self.link = link
        self.idPath = idPath
        self.bridge = bridge
        self.binding = binding
        self.match = match
        self.reason = reason
    }
}

/// The result of `devices`.
public struct DeviceList: Codable, Sendable, Hashable {
    public var devices: [DeviceSummary]
    public init(devices: [DeviceSummary]) { self.devices = devices }
}

/// The result of `watch` and `unwatch`: the topics now watched, and the newest event's sequence number
/// when the request was served (a `watch` with `since` replays up to it, then follows live).
public struct WatchState: Codable, Sendable, Hashable {
    public var topics: [Topic]
    /// The newest `seq` the daemon had published when it answered; 0 before the first event.
    public var lastSeq: UInt64?
    public init(topics: [Topic], lastSeq: UInt64? = nil) {
        self.topics = topics
        self.lastSeq = lastSeq
    }
}

/// Data of the `gap` connection event: events `from`...`to` (inclusive, by `seq`) cannot be replayed.
/// Some of those numbers may never have been used: the daemon says only what it cannot vouch for.
public struct GapNotice: Codable, Sendable, Hashable {
    /// Why the events are missing.
    public enum Reason: String, Codable, Sendable, Hashable, CaseIterable {
        /// They never became durable: the daemon stopped (crash, power loss) or the store refused or dropped
        /// them (full disk, queue bound) before they were written.
        case notRecorded = "not-recorded"
        /// They were recorded, but the event journal keeps only its newest events (`audit.journalRetainedEvents`)
        /// and these were older.
        case pruned
    }

    public var from: UInt64
    public var to: UInt64
    public var reason: Reason

    public init(from: UInt64, to: UInt64, reason: Reason) {
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// The result of `ping`.
public struct Pong: Codable, Sendable, Hashable {
    public var pong: Bool
    public init() { pong = true }
}

/// A clinic-wide notice (`notice` command, `notices` topic).
public struct Notice: Codable, Sendable, Hashable {
    public var text: String
    public var from: UInt32
    public init(text: String, from: UInt32) {
        self.text = text
        self.from = from
    }
}

/// Data of the `shutdown` and `overflow` connection events.
public struct ClosingNotice: Codable, Sendable, Hashable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// One command as `help` lists it.
public struct CommandHelp: Codable, Sendable, Hashable {
    public var cmd: String
    public var role: Role
    public var summary: String
}

/// The result of `help`.
public struct HelpInfo: Codable, Sendable, Hashable {
    public var commands: [CommandHelp]
    public init(commands: [CommandHelp]) { self.commands = commands }
}

/// The audit store as `status` shows it.
public struct AuditHealth: Codable, Sendable, Hashable {
    /// "healthy" or "degraded".
    public var health: String
    /// Why it is degraded (for example "disk full (SQLITE_FULL)").
    public var reason: String?
    /// Records accepted but not yet durable (queued, or held while the disk refuses writes).
    public var held: Int
    /// Records that could not be kept since start; never silently zeroed.
    public var dropped: Int
    /// Records made durable since start.
    public var written: Int
    /// The database file.
    public var path: String
    /// The newest durable record as `SEQUENCE:HASH`: keep it outside the store and give it to `audit-verify`
    /// later to prove that no record up to it was removed.
    public var anchor: String?

    public init(health: String, reason: String?, held: Int, dropped: Int, written: Int, path: String, anchor: String?) {
        self.health = health
        self.reason = reason
        self.held = held
        self.dropped = dropped
        self.written = written
        self.path = path
        self.anchor = anchor
    }
}

/// The result of `audit-verify`.
public struct AuditVerification: Codable, Sendable, Hashable {
    /// Whether every record's hash and link verified.
    public var intact: Bool
    /// How many records the store holds.
    public var records: Int
    /// The sequence number of the first record that does not verify.
    public var firstBrokenRecord: Int64?
    /// With an anchor: whether the record it names is still there with that hash (false: the log was cut
    /// back or rewritten after the anchor was taken).
    public var anchorHolds: Bool?

    public init(intact: Bool, records: Int, firstBrokenRecord: Int64?, anchorHolds: Bool? = nil) {
        self.intact = intact
        self.records = records
        self.firstBrokenRecord = firstBrokenRecord
        self.anchorHolds = anchorHolds
    }
}

/// The result of `report`: the export as text (HL7 segments end in CR, as HL7 v2 requires).
public struct ReportText: Codable, Sendable, Hashable {
    public var chair: String
    public var format: String
    public var text: String

    public init(chair: String, format: String, text: String) {
        self.chair = chair
        self.format = format
        self.text = text
    }
}
