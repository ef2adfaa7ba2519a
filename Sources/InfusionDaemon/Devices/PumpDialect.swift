package import DeviceProtocols
package import InfusionCore

/// How one syringe-pump family speaks, for `SerialPumpDriver`: which wire commands a domain command
/// becomes, how replies are decoded and read as observations, which reply can answer which command,
/// and the family's own steps at open. Everything that does not depend on the family (turn-taking,
/// timeouts and the retry, read-backs, link loss) lives in the driver.
///
/// A dialect is a plain value holding the family's per-connection protocol state (decoder,
/// framing); it does no I/O and never waits. The driver owns it and uses it only from its own
/// isolation.
package protocol PumpDialect: Sendable {
    associatedtype Settings: PumpDialectSettings
    associatedtype Command: Hashable & Sendable
    associatedtype Reply: Sendable

    /// A dialect for a freshly opened link.
    init(settings: Settings)
    var settings: Settings { get }

    /// The family spoken; its factory line settings are the driver's default.
    static var family: DeviceFamily { get }
    /// Read-backs agree with what was sent when they differ by less than this: half of the finest
    /// step the pump prints.
    static var readBackResolution: Double { get }
    /// How the pump writes numbers, for the message when a value cannot be sent ("four decimals").
    static var numberFormat: String { get }

    // MARK: Wire

    /// The bytes for `command`; nil when its numbers cannot be written for the pump.
    func encoded(_ command: Command) -> [UInt8]?
    /// `command` as it reads in logs and failure messages.
    func describe(_ command: Command) -> String
    /// Decodes bytes as they arrive from the port, in any split: replies from this pump (replies to
    /// other addresses are dropped) and a description of each damaged frame or reply.
    mutating func decode(_ bytes: [UInt8]) -> PumpDecoding<Reply>
    /// Forgets a partly received reply, so that it cannot prefix the next one.
    mutating func resetDecoder()
    /// Whether `reply` may answer any command whatever its shape (`PumpReplyShape`): a refusal, or
    /// a reply that is about the pump rather than the command.
    static func answersAnyCommand(_ reply: Reply) -> Bool
    /// The alarms `reply` reports; the driver latches them on arrival.
    static func alarms(in reply: Reply) -> Set<PumpAlarm>
    /// Why the pump refused the command `reply` answers, or nil when it did not.
    static func refusal(in reply: Reply) -> String?
    /// Whether `reply` says the command was not carried out and is to be sent again. `canRetry` is
    /// false once the one retry is spent; `alarmResends` counts the re-sends after alarms so far.
    func resend(after reply: Reply, canRetry: Bool, alarmResends: Int) -> PumpResend?

    // MARK: Open

    /// Sent before anything else at open (NE-1000: arm safe mode); each refusal fails the open.
    var openingCommands: [Command] { get }
    /// The pump accepted `openingCommands` (NE-1000: from now on speak the framing they selected).
    mutating func openingCommandsAccepted()
    /// How long the link may stay quiet before the driver sends `statusQuery` to feed a pump-side
    /// dead-man timer; nil when the pump has none.
    var keepAliveInterval: Duration? { get }
    /// How long after the host falls silent the pump stops by itself (NE-1000 safe mode); nil when
    /// it never does.
    var pumpSideStopDelay: Duration? { get }

    // MARK: Domain mapping

    /// Asks only for the status.
    static var statusQuery: Command { get }
    static var rateQuery: Command { get }
    static var volumeQuery: Command { get }
    static var diameterQuery: Command { get }
    /// Clears the infused-volume counter.
    static var clearInfusedVolume: Command { get }
    /// Starts the infusion at the programmed rate, up to the target set (see `noTarget`).
    static var startProgram: [Command] { get }
    /// Removes the target volume: the pump runs until stopped. Sent only when the core set none.
    static var noTarget: Command { get }
    /// Halts the motor: pauses a running pump, or stops it (see `hasOneIdleState`).
    static var haltCommand: Command { get }
    /// True when the pump has one idle state for both pause and stop, reported as paused: one halt
    /// stops it. False when the first halt pauses a running pump and a second one stops it.
    static var hasOneIdleState: Bool { get }
    /// The command setting `millilitresPerHour` and the value the pump will hold; nil when it
    /// cannot be written.
    static func rateSetting(_ millilitresPerHour: Double) -> PumpSetting<Command>?
    /// The command setting the syringe diameter; nil when it cannot be written.
    static func diameterSetting(_ millimetres: Double) -> PumpSetting<Command>?
    /// Whether the pump's target volume counts from the start of each phase (NE-1000 `VOL`: from a
    /// run out of stopped; a paused pump continues its phase) rather than on its infused counter
    /// (Harvard `tvolume`).
    static var targetIsPerPhase: Bool { get }
    /// The command making the pump stop by itself after `millilitres` (per phase or on its counter,
    /// see `targetIsPerPhase`) with a syringe of `diameterMillimetres`; nil when it cannot be written.
    static func targetSetting(_ millilitres: Double, diameterMillimetres: Double) -> PumpSetting<Command>?
    /// The rates the pump accepts with a syringe of `millimetres`, mL/h; nil when no source gives
    /// the family's limits.
    static func rateRange(diameterMillimetres millimetres: Double) -> ClosedRange<Double>?
    /// The run state any reply carries.
    static func runState(of reply: Reply) -> PumpRunState
    /// The value a query reply carries, as the pump printed it.
    static func value(in reply: Reply) -> String?
    /// How the pump prints the values its query replies carry.
    static var printedValues: PumpPrintedValues { get }
    /// The observation made of the replies to `rateQuery` and `volumeQuery`; the later reply
    /// carries the current state.
    static func observation(rate: Reply, volume: Reply, at time: MonotonicInstant) -> PumpObservation
}

/// What a dialect's settings have in common.
package protocol PumpDialectSettings: Sendable {
    /// How long to wait for each reply before the one retry.
    var replyTimeout: Duration { get }
    /// Syringe inside diameter, mm, programmed when the pump is idle at open.
    var syringeDiameterMillimetres: Double { get }
    /// The largest relative difference allowed between a requested rate and the nearest number the
    /// pump can be sent.
    var rateRepresentationTolerance: Double { get }
}

/// How a family's pump prints the values its query replies carry.
package struct PumpPrintedValues: Sendable {
    /// Whether a printed value is a rate with its units.
    package var isRate: @Sendable (String) -> Bool
    /// Whether a printed value is a volume with its units.
    package var isVolume: @Sendable (String) -> Bool
    /// A printed syringe diameter, in mm.
    package var diameter: @Sendable (String) -> Double?

    package init(
        isRate: @escaping @Sendable (String) -> Bool, isVolume: @escaping @Sendable (String) -> Bool,
        diameter: @escaping @Sendable (String) -> Double?
    ) {
        self.isRate = isRate
        self.isVolume = isVolume
        self.diameter = diameter
    }
}

/// A number as it will be sent to the pump, with the command that sends it.
package struct PumpSetting<Command: Sendable>: Sendable {
    package var command: Command
    /// The value the pump will hold, which may differ from the one asked for by rounding.
    package var value: Double
    /// The value as written on the wire.
    package var text: String

    package init(command: Command, value: Double, text: String) {
        self.command = command
        self.value = value
        self.text = text
    }
}

/// Why a reply means its command was not carried out and must be sent again.
package enum PumpResend: Sendable, Hashable {
    /// The reply acknowledged an alarm instead; send again once `settle` has passed. Not counted
    /// as the retry.
    case afterAlarm(settle: Duration)
    /// The pump received the command damaged and did nothing. Counts as the retry.
    case damagedRequest
}

/// What one piece of received bytes decoded to.
package struct PumpDecoding<Reply: Sendable>: Sendable {
    package var replies: [Reply] = []
    /// One description per damaged frame or reply, for the debug log.
    package var damage: [String] = []

    package init(replies: [Reply] = [], damage: [String] = []) {
        self.replies = replies
        self.damage = damage
    }
}
