package import DeviceProtocols
package import InfusionCore

/// A New Era NE-1000 family pump behind a serial port, in domain terms (`PumpDriver`).
///
/// At open the driver arms NE safe mode with `NewEraDriverSettings.safeModeTimeoutSeconds` (sent
/// safe-framed, which the pump understands in either mode, as nesp-lib does), and from then on keeps
/// the pump's dead-man timer fed with a status query whenever the link has been quiet for
/// `heartbeatInterval`. If the daemon dies or goes silent, the pump stops itself and raises `A?T`.
/// A reply reporting an alarm acknowledges it and the command is sent again (docs/DEVICE-BASIS.md §1:
/// the command that received the alarm was not executed); alarms seen on the way, including the
/// pump's unsolicited Auto-Alarm packets, are reported once in the next observation returned.
package typealias NewEraPumpDriver = SerialPumpDriver<NewEraDialect>

/// How the NE-1000 family speaks (docs/DEVICE-BASIS.md §1): addressed text commands, Basic or Safe
/// framing, and replies that carry the status and an optional alarm.
package struct NewEraDialect: PumpDialect {
    package let settings: NewEraDriverSettings
    /// Safe framing until the opening `SAF` has chosen: the pump understands it in either mode.
    private var framing: NewEraFraming = .safe
    private var decoder = NewEraReplyDecoder()

    package init(settings: NewEraDriverSettings) {
        self.settings = settings
    }

    package static let family = DeviceFamily.newEra
    /// Half of the finest printed step (three decimals, docs/DEVICE-BASIS.md §1 "Number format").
    package static let readBackResolution = 0.0005
    package static let numberFormat = "four significant digits"
    /// How many times a command is re-sent because its reply reported an alarm (each reply
    /// acknowledges one alarm; a new one may be raised while the first is acknowledged).
    static let maximumAlarmResends = 2

    // MARK: Wire

    package func encoded(_ command: NewEraCommand) -> [UInt8]? {
        NewEraRequest(address: settings.address, command: command).encoded(framing)
    }

    package func describe(_ command: NewEraCommand) -> String {
        let text = NewEraRequest(address: settings.address, command: command).text
        return text.isEmpty ? "status query" : text
    }

    package mutating func decode(_ bytes: [UInt8]) -> PumpDecoding<NewEraReply> {
        var decoding = PumpDecoding<NewEraReply>()
        for output in decoder.decode(bytes) {
            switch output {
            case .damaged(let damage):
                decoding.damage.append("\(damage)")
            case .reply(let reply):
                if reply.address == settings.address { decoding.replies.append(reply) }
            }
        }
        return decoding
    }

    package mutating func resetDecoder() {
        decoder.reset()
    }

    /// An error answers whatever it follows, and so does an alarm: the pump reports it in reply to
    /// whichever command came next, instead of executing it.
    package static func answersAnyCommand(_ reply: NewEraReply) -> Bool { reply.alarm != nil || reply.error != nil }

    package static func alarms(in reply: NewEraReply) -> Set<PumpAlarm> {
        reply.alarm.map { [$0.pumpAlarm] } ?? []
    }

    package static func refusal(in reply: NewEraReply) -> String? {
        reply.error.map { $0 == .notRecognised ? "?" : "?" + $0.rawValue }
    }

    package func resend(after reply: NewEraReply, canRetry: Bool, alarmResends: Int) -> PumpResend? {
        if reply.alarm != nil, alarmResends < Self.maximumAlarmResends {
            // The alarm is now acknowledged and the command was not executed.
            return .afterAlarm(settle: settings.alarmSettleDelay)
        }
        if reply.error == .invalidPacket, canRetry {
            // Our packet arrived damaged, so the pump did nothing: safe to send again.
            return .damagedRequest
        }
        return nil
    }

    // MARK: Open

    package var openingCommands: [NewEraCommand] { [.setSafeModeTimeout(settings.safeModeTimeoutSeconds)] }

    /// `SAF0` left safe mode: from now on the pump answers Basic framing only.
    package mutating func openingCommandsAccepted() {
        framing = settings.safeModeTimeoutSeconds == 0 ? .basic : .safe
    }

    package var keepAliveInterval: Duration? {
        settings.safeModeTimeoutSeconds > 0 ? settings.heartbeatInterval : nil
    }

    package var pumpSideStopDelay: Duration? {
        settings.safeModeTimeoutSeconds > 0 ? .seconds(Int(settings.safeModeTimeoutSeconds)) : nil
    }

    // MARK: Domain mapping

    /// The empty command: the pump answers with its status alone.
    package static let statusQuery = NewEraCommand.status
    package static let rateQuery = NewEraCommand.queryRate
    package static let volumeQuery = NewEraCommand.queryDispensed
    package static let diameterQuery = NewEraCommand.queryDiameter
    package static let clearInfusedVolume = NewEraCommand.clearDispensed(.infused)
    /// Continuous infusion (`VOL0`, the core reconciles volume itself), forward, then `RUN`.
    package static let startProgram: [NewEraCommand] = [.setDirection(.infuse), .run(phase: nil)]
    /// `VOL0`: pump continuously.
    package static let noTarget = NewEraCommand.setVolume(.zero)
    package static let haltCommand = NewEraCommand.stop
    /// `STP` pauses a running pump; a second `STP` stops it.
    package static let hasOneIdleState = false

    package static func rateSetting(_ millilitresPerHour: Double) -> PumpSetting<NewEraCommand>? {
        NewEraNumber(rounding: millilitresPerHour).map {
            PumpSetting(command: .setRate($0, .millilitresPerHour), value: $0.value, text: $0.text)
        }
    }

    package static func diameterSetting(_ millimetres: Double) -> PumpSetting<NewEraCommand>? {
        NewEraNumber(rounding: millimetres).map { PumpSetting(command: .setDiameter($0), value: $0.value, text: $0.text) }
    }

    package static let targetIsPerPhase = true

    /// `VOL` in the volume units the diameter selects (µL up to 14 mm, docs/DEVICE-BASIS.md §1).
    package static func targetSetting(_ millilitres: Double, diameterMillimetres: Double) -> PumpSetting<NewEraCommand>? {
        let units = NewEraVolumeUnits.selected(byDiameterMillimetres: diameterMillimetres)
        guard millilitres > 0, let number = NewEraNumber(rounding: millilitres / units.millilitres) else { return nil }
        return PumpSetting(command: .setVolume(number), value: number.value * units.millilitres, text: number.text)
    }

    /// Plunger speed limits × the syringe's cross-section (docs/DEVICE-BASIS.md §1 "Units, dispensed
    /// volume, diameter and rate limits").
    package static func rateRange(diameterMillimetres millimetres: Double) -> ClosedRange<Double>? {
        NewEraPumpLimits.ne1000.rateRangeMillilitresPerHour(diameterMillimetres: millimetres)
    }

    package static func runState(of reply: NewEraReply) -> PumpRunState { reply.status.runState }

    package static func value(in reply: NewEraReply) -> String? { reply.payload }

    /// `DIS` prints infused and withdrawn volume together; `DIA` a bare number.
    package static let printedValues = PumpPrintedValues(
        isRate: { NewEraReplyValues.rate($0) != nil }, isVolume: { NewEraReplyValues.dispensed($0) != nil },
        diameter: NewEraReplyValues.number)

    /// Both replies carry the status; the `DIS` reply's is the later one.
    package static func observation(rate: NewEraReply, volume: NewEraReply, at time: MonotonicInstant) -> PumpObservation {
        NewEraReply.observation(status: volume, rate: rate, dispensed: volume, at: time)
    }
}
