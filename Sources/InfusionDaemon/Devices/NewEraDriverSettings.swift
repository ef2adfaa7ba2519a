/// How an NE-1000 driver talks to its pump. Protocol timing, not clinical numbers; each default
/// names its source.
package struct NewEraDriverSettings: PumpDialectSettings, Hashable {
    /// The pump's network address, 0–99.
    package var address: UInt8
    /// Syringe inside diameter, mm, programmed when the pump is idle at open. Default: BD 60 mL,
    /// 26.59 mm (docs/DEVICE-BASIS.md §1 syringe table); configure the syringe the clinic loads.
    package var syringeDiameterMillimetres: Double
    /// How long to wait for each reply before the one retry. Default 1 s: the Aladdin driver's read
    /// timeout (docs/DEVICE-BASIS.md §1 "Timing"); Fresenius uses the same with one retry
    /// (docs/CLINICAL-BASIS.md row 30).
    package var replyTimeout: Duration
    /// NE safe-mode timeout, whole seconds 1–255; the pump stops and alarms (`A?T`) when no valid
    /// packet arrives for this long. 0 keeps the pump in Basic mode (no dead-man timer, not for
    /// clinical use). Default 5 s: the daemon's 3 s communication-loss rule (docs/CLINICAL-BASIS.md
    /// row 31) plus one reply timeout and retry (row 30, 2 × 1 s), so a pump stops itself only after
    /// the daemon would already have declared its link lost, and soon after a daemon dies.
    package var safeModeTimeoutSeconds: UInt8
    /// How often an idle driver sends a status query to keep the safe-mode timer fed. Default: half
    /// the safe-mode timeout, as nesp-lib does (docs/DEVICE-BASIS.md §1 "Timing").
    package var heartbeatInterval: Duration
    /// After a reply that reports an alarm, how long to let a possibly following reply (the pump's
    /// unsolicited Auto-Alarm packet and the acknowledging reply can both arrive) settle before the
    /// command is sent again.
    package var alarmSettleDelay: Duration
    /// The largest relative difference allowed between a requested rate and the nearest number the
    /// pump can be sent (four significant digits, docs/DEVICE-BASIS.md §1 "Number format").
    package var rateRepresentationTolerance: Double

    package init(
        address: UInt8 = 0,
        syringeDiameterMillimetres: Double = 26.59,
        replyTimeout: Duration = .seconds(1),
        safeModeTimeoutSeconds: UInt8 = 5,
        heartbeatInterval: Duration? = nil,
        alarmSettleDelay: Duration = .milliseconds(50),
        rateRepresentationTolerance: Double = 0.001
    ) {
        self.address = address
        self.syringeDiameterMillimetres = syringeDiameterMillimetres
        self.replyTimeout = replyTimeout
        self.safeModeTimeoutSeconds = safeModeTimeoutSeconds
        self.heartbeatInterval = heartbeatInterval ?? Self.heartbeat(forSafeModeTimeout: safeModeTimeoutSeconds)
        self.alarmSettleDelay = alarmSettleDelay
        self.rateRepresentationTolerance = rateRepresentationTolerance
    }

    /// The default keep-alive for a safe-mode timeout: half of it, as nesp-lib does (docs/DEVICE-BASIS.md §1 "Timing").
    package static func heartbeat(forSafeModeTimeout seconds: UInt8) -> Duration {
        .milliseconds(Int(max(1, seconds)) * 500)
    }
}
