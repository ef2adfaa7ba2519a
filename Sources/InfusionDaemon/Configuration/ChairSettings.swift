/// One infusion chair: its name and the pump and monitor that serve it.
public struct ChairSettings: Codable, Sendable, Equatable {
    /// The chair's name as clients use it ("1", "window-left").
    public var id: String
    /// The chair's syringe pump, if it has one configured.
    public var pump: DeviceBinding?
    /// The chair's patient monitor, if it has one configured.
    public var monitor: DeviceBinding?
    /// The syringe-library id of the syringe this chair's pump is set up for until a program names
    /// another; nil takes the library's default (`core.syringes.defaultID`).
    public var syringe: String?

    public init(id: String, pump: DeviceBinding? = nil, monitor: DeviceBinding? = nil, syringe: String? = nil) {
        self.id = id
        self.pump = pump
        self.monitor = monitor
        self.syringe = syringe
    }
}

/// The control thread.
public struct ControlSettings: Codable, Sendable, Equatable {
    /// Tick period in milliseconds (ARCHITECTURE.md: default 10 ms); inputs wake the thread earlier.
    public var tickMilliseconds: Double = 10
    /// Tick period in milliseconds while every chair is quiescent (no patient watched, nothing pending:
    /// `ChairCore.isQuiescent`); inputs still wake the thread at once. At least `tickMilliseconds`, at most
    /// 1000, and well under the systemd watchdog's check period (a third of `WatchdogSec`), which ticks feed.
    public var idleTickMilliseconds: Double = 500
    /// SCHED_FIFO priority; nil runs at normal priority. Refused without CAP_SYS_NICE/LimitRTPRIO,
    /// in which case the daemon logs a warning and runs at normal priority.
    public var realtimePriority: Int32? = 50
    /// Lock the daemon's memory (mlockall) so the control path never page-faults.
    public var lockMemory: Bool = true

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ControlSettings()
        tickMilliseconds = try container.decodeIfPresent(Double.self, forKey: .tickMilliseconds) ?? defaults.tickMilliseconds
        idleTickMilliseconds =
            try container.decodeIfPresent(Double.self, forKey: .idleTickMilliseconds) ?? max(defaults.idleTickMilliseconds, tickMilliseconds)
        if container.contains(.realtimePriority) {
            realtimePriority = try container.decodeIfPresent(Int32.self, forKey: .realtimePriority)
        }
        lockMemory = try container.decodeIfPresent(Bool.self, forKey: .lockMemory) ?? defaults.lockMemory
        guard tickMilliseconds >= 1, tickMilliseconds <= 1000 else {
            throw DecodingError.dataCorruptedError(
                forKey: .tickMilliseconds, in: container, debugDescription: "must be between 1 and 1000")
        }
        guard idleTickMilliseconds >= tickMilliseconds, idleTickMilliseconds <= 1000 else {
            throw DecodingError.dataCorruptedError(
                forKey: .idleTickMilliseconds, in: container, debugDescription: "must be between tickMilliseconds and 1000")
        }
    }
}

/// How the daemon keeps device links. Defaults from docs/CLINICAL-BASIS.md rows 30–31: pumps
/// are asked for their state every second (the keep-alive period of remote-controlled pumps), and a
/// pump that has not answered for 3 s, or a monitor that has sent no reading for 3 s, is declared lost
/// (the core then alarms, and pauses while drug flows).
public struct DeviceLinkSettings: Codable, Sendable, Equatable {
    /// Seconds between pump read-backs.
    public var pollSeconds: Double = 1
    /// Seconds without a valid pump reply after which the link counts as lost.
    public var linkLostSeconds: Double = 3
    /// Seconds without a valid monitor reading (a frame with numerics) after which the monitor's link
    /// counts as lost even though its port is open: `monitorLinkLost` in every state with a patient in
    /// the chair. Row 31's 3 s, [D] for monitors: every supported monitor sends at least once a second
    /// (docs/DEVICE-BASIS.md §4–6), so 3 s is three missed readings. An IntelliVue association that
    /// ends counts as lost at once.
    public var monitorLinkLostSeconds: Double = 3
    /// Seconds between attempts to reopen a device that is gone.
    public var reopenSeconds: Double = 2
    /// After a pump stopped answering, the daemon stays silent on its port for the pump's own
    /// dead-man time (NE-1000 safe mode) plus this margin before reopening, so the pump has
    /// certainly stopped itself. Design default 2 s: one reply timeout and its retry (row 30).
    public var pumpSilenceMarginSeconds: Double = 2
    /// Find devices through udev (enumeration at start, hotplug after). Off, or without udev, only
    /// fixed-path bindings are driven.
    public var udev: Bool = true
    /// When set, every serial link's raw traffic is recorded to `<dir>/<path>.linkrec` for replay
    /// (docs/SCENARIOS.md); nil (the default) records nothing.
    public var recordDirectory: String? = nil

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DeviceLinkSettings()
        pollSeconds = try container.decodeIfPresent(Double.self, forKey: .pollSeconds) ?? defaults.pollSeconds
        linkLostSeconds = try container.decodeIfPresent(Double.self, forKey: .linkLostSeconds) ?? defaults.linkLostSeconds
        monitorLinkLostSeconds =
            try container.decodeIfPresent(Double.self, forKey: .monitorLinkLostSeconds) ?? defaults.monitorLinkLostSeconds
        reopenSeconds = try container.decodeIfPresent(Double.self, forKey: .reopenSeconds) ?? defaults.reopenSeconds
        pumpSilenceMarginSeconds =
            try container.decodeIfPresent(Double.self, forKey: .pumpSilenceMarginSeconds) ?? defaults.pumpSilenceMarginSeconds
        udev = try container.decodeIfPresent(Bool.self, forKey: .udev) ?? defaults.udev
        recordDirectory = try container.decodeIfPresent(String.self, forKey: .recordDirectory)
        guard pollSeconds > 0, linkLostSeconds > pollSeconds, reopenSeconds > 0, pumpSilenceMarginSeconds >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .linkLostSeconds, in: container,
                debugDescription:
                    "need pollSeconds > 0, linkLostSeconds > pollSeconds, reopenSeconds > 0 and pumpSilenceMarginSeconds >= 0")
        }
        guard monitorLinkLostSeconds > 0, monitorLinkLostSeconds.isFinite else {
            throw DecodingError.dataCorruptedError(
                forKey: .monitorLinkLostSeconds, in: container, debugDescription: "must be a positive number of seconds")
        }
    }

    var pollInterval: Duration { .milliseconds(Int64(pollSeconds * 1000)) }
    var linkLostAfter: Duration { .milliseconds(Int64(linkLostSeconds * 1000)) }
    var reopenInterval: Duration { .milliseconds(Int64(reopenSeconds * 1000)) }
    var monitorLinkLostAfter: Duration { .milliseconds(Int64(monitorLinkLostSeconds * 1000)) }
    var pumpSilenceMargin: Duration { .milliseconds(Int64(pumpSilenceMarginSeconds * 1000)) }
}
