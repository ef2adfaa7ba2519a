package import DeviceProtocols
package import InfusionCore

/// A Harvard Pump 11 Elite / PHD ULTRA behind a serial port, in domain terms (`PumpDriver`).
///
/// Harvard pumps have no safe mode: there is no pump-side dead-man timer, so a pump left running
/// by a daemon that died or went silent keeps infusing until someone stops it. The driver therefore
/// sends no keep-alive, and `close()` leaves the pump as it is; the daemon's own communication-loss
/// rule is the only guard. A stalled prompt (`*`) seen on the way is reported in the next
/// observation returned.
package typealias HarvardPumpDriver = SerialPumpDriver<HarvardDialect>

/// How the Harvard Pump 11 Elite / PHD ULTRA speaks (docs/DEVICE-BASIS.md §3): text commands, and
/// replies ended by a prompt that carries the run state.
package struct HarvardDialect: PumpDialect {
    package let settings: HarvardDriverSettings
    private var decoder = HarvardReplyDecoder()

    package init(settings: HarvardDriverSettings) {
        self.settings = settings
    }

    /// Half of the finest printed step (four decimals, docs/DEVICE-BASIS.md §3 example `0.1234 ml`).
    package static let readBackResolution = 0.000_05
    package static let family = DeviceFamily.harvard
    package static let numberFormat = "four decimals"

    // MARK: Wire

    package func encoded(_ command: HarvardCommand) -> [UInt8]? {
        HarvardRequest(address: settings.address, command: command).encoded
    }

    package func describe(_ command: HarvardCommand) -> String {
        guard let text = command.text else { return "\(command)" }
        return text.isEmpty ? "prompt query" : text
    }

    package mutating func decode(_ bytes: [UInt8]) -> PumpDecoding<HarvardReply> {
        var decoding = PumpDecoding<HarvardReply>()
        for var reply in decoder.decode(bytes) {
            guard reply.address == nil || reply.address == settings.address else { continue }
            if reply.lines.count > 1 {
                // Our commands are answered with at most one data line: earlier lines are what is
                // left of a reply whose prompt was lost on the line.
                decoding.damage.append("\(reply.lines.count - 1) lines left from a reply whose prompt was lost")
                reply.lines.removeFirst(reply.lines.count - 1)
            }
            decoding.replies.append(reply)
        }
        return decoding
    }

    package mutating func resetDecoder() {
        decoder = HarvardReplyDecoder()
    }

    /// An error line answers whatever it follows. A stalled prompt does not: it ends replies to
    /// every command.
    package static func answersAnyCommand(_ reply: HarvardReply) -> Bool { reply.error != nil }

    package static func alarms(in reply: HarvardReply) -> Set<PumpAlarm> { reply.prompt.alarms }

    package static func refusal(in reply: HarvardReply) -> String? { reply.error?.rawValue }

    /// A Harvard reply never asks for a re-send: the pump either acted or printed an error.
    package func resend(after reply: HarvardReply, canRetry: Bool, alarmResends: Int) -> PumpResend? { nil }

    // MARK: Open

    /// No safe mode to arm.
    package var openingCommands: [HarvardCommand] { [] }
    package mutating func openingCommandsAccepted() {}
    /// No dead-man timer to feed.
    package var keepAliveInterval: Duration? { nil }
    /// Harvard pumps never stop by themselves when the host falls silent.
    package var pumpSideStopDelay: Duration? { nil }

    // MARK: Domain mapping

    /// The empty command line: the pump answers with its prompt alone.
    package static let statusQuery = HarvardCommand.prompt
    package static let rateQuery = HarvardCommand.queryInfusionRate
    package static let volumeQuery = HarvardCommand.queryInfusedVolume
    package static let diameterQuery = HarvardCommand.queryDiameter
    package static let clearInfusedVolume = HarvardCommand.clearVolumes
    /// Continuous infusion (`ctvolume` clears any target volume; the core reconciles volume
    /// itself), then `run`.
    package static let startProgram: [HarvardCommand] = [.run]
    package static let noTarget = HarvardCommand.clearTargetVolume
    package static let haltCommand = HarvardCommand.stop
    /// `stop` leaves the pump idle (`:`), whether it is to be paused or stopped.
    package static let hasOneIdleState = true

    package static func rateSetting(_ millilitresPerHour: Double) -> PumpSetting<HarvardCommand>? {
        guard let text = HarvardNumber.text(millilitresPerHour), let sent = HarvardNumber.value(text) else { return nil }
        return PumpSetting(command: .setInfusionRate(sent, .millilitresPerHour), value: sent, text: text)
    }

    package static func diameterSetting(_ millimetres: Double) -> PumpSetting<HarvardCommand>? {
        guard millimetres > 0, let text = HarvardNumber.text(millimetres) else { return nil }
        return PumpSetting(command: .setDiameter(millimetres), value: millimetres, text: text)
    }

    package static let targetIsPerPhase = false

    /// `tvolume <mL> ml`, compared by the pump with its infused counter (docs/DEVICE-BASIS.md §3).
    package static func targetSetting(_ millilitres: Double, diameterMillimetres: Double) -> PumpSetting<HarvardCommand>? {
        guard millilitres > 0, let text = HarvardNumber.text(millilitres) else { return nil }
        return PumpSetting(command: .setTargetVolume(millilitres, .millilitres), value: millilitres, text: text)
    }

    /// No source gives the Pump 11 Elite's or PHD ULTRA's rate limits (docs/DEVICE-BASIS.md §3), so
    /// nothing is refused for range; the pump's own out-of-range answer is a refusal.
    package static func rateRange(diameterMillimetres millimetres: Double) -> ClosedRange<Double>? { nil }

    package static func runState(of reply: HarvardReply) -> PumpRunState { reply.prompt.runState }

    /// The data line; `decode` leaves at most one.
    package static func value(in reply: HarvardReply) -> String? { reply.lines.last }

    package static let printedValues = PumpPrintedValues(
        isRate: { HarvardReplyValues.rate($0) != nil }, isVolume: { HarvardReplyValues.volume($0) != nil },
        diameter: HarvardReplyValues.diameter)

    /// The prompt ending the `ivolume` reply is the current state.
    package static func observation(rate: HarvardReply, volume: HarvardReply, at time: MonotonicInstant) -> PumpObservation {
        HarvardReply.observation(status: volume, rate: rate, infused: volume, at: time)
    }
}
