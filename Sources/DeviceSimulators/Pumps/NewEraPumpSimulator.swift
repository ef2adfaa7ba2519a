public import DeviceProtocols
public import InfusionCore

/// The device side of an NE-1000 syringe pump: the wire protocol of docs/DEVICE-BASIS.md §1
/// (Basic and Safe mode, status letters, alarms, errors), a plunger that moves at the programmed
/// rate, and the fault switches of `PumpFault`.
///
/// Behaviour follows its "Simulator checklist": the first command after an alarm only
/// returns the alarm (and is not executed); rates outside the diameter's limits get `?OOR`;
/// changing units while pumping gets `?NA`; the first `STP` pauses and a second stops; in safe
/// mode a bad packet gets `?COM`, a partial packet is dropped after 0.5 s of silence, and when no
/// valid packet arrives within the timeout the pump stops and sends `A?T` on its own.
public struct NewEraPumpSimulator: ControllableDevice {
    /// What the simulated pump is and holds when it starts.
    public struct Configuration: Hashable, Sendable {
        public var address: UInt8
        /// Syringe inside diameter, mm. Default: BD 60 mL, 26.59 mm (docs/DEVICE-BASIS.md §1 syringe table).
        public var diameterMillimetres: Double
        /// Volume in the syringe when loaded, mL.
        public var loadedMillilitres: Double
        public var limits: NewEraPumpLimits
        public var version: NewEraReplyValues.Version
        /// How late replies come under the slow-reply fault. Default 2 s: past the 1.0 s read
        /// timeout of the Aladdin driver (docs/DEVICE-BASIS.md §1 "Timing").
        public var slowReplyDelay: Duration
        /// A partial safe packet is dropped after this much silence (manual: 0.5 s).
        public var interByteTimeout: Duration
        /// Seed of the noise fault's random bytes.
        public var noiseSeed: UInt64

        public init(
            address: UInt8 = 0,
            diameterMillimetres: Double = 26.59,
            loadedMillilitres: Double = 50,
            limits: NewEraPumpLimits = .ne1000,
            version: NewEraReplyValues.Version = .init(model: 1000, major: 3, minor: 928),
            slowReplyDelay: Duration = .seconds(2),
            interByteTimeout: Duration = .milliseconds(500),
            noiseSeed: UInt64 = 1
        ) {
            self.address = address
            self.diameterMillimetres = diameterMillimetres
            self.loadedMillilitres = loadedMillilitres
            self.limits = limits
            self.version = version
            self.slowReplyDelay = slowReplyDelay
            self.interByteTimeout = interByteTimeout
            self.noiseSeed = noiseSeed
        }
    }

    /// What the motor is doing.
    enum Motion: Hashable, Sendable {
        case stopped, paused, infusing, withdrawing, purging

        var isMoving: Bool { self == .infusing || self == .withdrawing || self == .purging }
    }

    let configuration: Configuration
    var address: UInt8
    var framing: NewEraFraming = .basic
    var safeModeTimeoutSeconds: UInt8 = 0
    /// When the last valid packet arrived; nil until the first one after entering safe mode or a
    /// power cycle (the manual arms the timer only then).
    var lastValidPacket: MonotonicInstant?
    var diameterMillimetres: Double
    var rate: NewEraNumber
    var rateUnits: NewEraRateUnits = .millilitresPerHour
    var targetVolume: NewEraNumber
    var volumeUnits: NewEraVolumeUnits
    var direction: NewEraDirection = .infuse
    var motion: Motion = .stopped
    /// Volume moved in the current run, mL, for the `VOL` target.
    var runMillilitres = 0.0
    var infusedMillilitres = 0.0
    var withdrawnMillilitres = 0.0
    var pendingAlarm: NewEraAlarm?
    var plunger: SyringePlunger
    var faults: Set<PumpFault> = []
    var shaper: PumpReplyShaper
    /// Bytes produced outside `receive`/`advance` (by control lines), sent at the next `advance`.
    var unsolicited: [UInt8] = []
    private var decoder = NewEraCommandDecoder()
    private var lastByte: MonotonicInstant?
    private var now: MonotonicInstant?

    /// A stopped pump with a full syringe, in Basic mode.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        address = configuration.address
        diameterMillimetres = configuration.diameterMillimetres
        volumeUnits = .selected(byDiameterMillimetres: configuration.diameterMillimetres)
        rate = .zero
        targetVolume = .zero
        plunger = SyringePlunger(
            loadedMillilitres: configuration.loadedMillilitres,
            diameterMillimetres: configuration.diameterMillimetres
        )
        shaper = PumpReplyShaper(slowReplyDelay: configuration.slowReplyDelay, noiseSeed: configuration.noiseSeed)
    }

    public mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] {
        var output = advance(to: time)
        if let lastByte, decoder.isAssemblingSafePacket, time - lastByte > configuration.interByteTimeout {
            decoder.discardPartialFrame()
        }
        lastByte = time
        for item in decoder.decode(bytes) {
            if let reply = respond(to: item, at: time) {
                output += shaper.shape(reply.encoded, faults: faults, at: time)
            }
        }
        return output
    }

    public mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        var output = unsolicited
        unsolicited.removeAll()
        if let alarm = move(until: time) {
            output += raise(alarm, at: time)
        }
        return output + shaper.due(at: time, faults: faults)
    }

    /// The pump's status letter as the next reply would carry it.
    var status: NewEraStatus {
        if let pendingAlarm { return .alarm(pendingAlarm) }
        switch motion {
        case .stopped: return .stopped
        case .paused: return .paused
        case .infusing: return .infusing
        case .withdrawing: return .withdrawing
        case .purging: return .purging
        }
    }

    /// The reply to one decoded item, nil when the pump stays silent (not addressed to it, or a
    /// Basic line while in safe mode).
    private mutating func respond(to item: NewEraCommandDecoder.Output, at time: MonotonicInstant) -> NewEraReply? {
        switch item {
        case .damaged(let addressing):
            guard framing == .safe, let addressing, NewEraRequest(addressing: addressing).isAddressed(to: address)
            else { return nil }
            return reply(.error(.invalidPacket))
        case .request(let request, let arrivedFraming):
            guard request.isAddressed(to: address) else { return nil }
            if framing == .safe, arrivedFraming == .basic { return nil }
            if arrivedFraming == .safe { lastValidPacket = time }
            if let alarm = pendingAlarm {
                // The manual: an alarm is acknowledged by sending it as the reply to any valid
                // command; that command is not executed.
                pendingAlarm = nil
                return NewEraReply(address: address, status: .alarm(alarm), framing: framing)
            }
            guard let command = request.command else { return reply(.error(.notRecognised)) }
            let body = execute(command)
            if case .setSafeModeTimeout = command, arrivedFraming == .basic {
                // Entered by a Basic line: the timer starts with the first valid packet.
                lastValidPacket = nil
            }
            return reply(body)
        }
    }

    func reply(_ body: NewEraReply.Body) -> NewEraReply {
        NewEraReply(address: address, status: status, body: body, framing: framing)
    }

    /// Moves the plunger up to `time` (or to the safe-mode deadline, if earlier) and returns the
    /// alarm that stopped it, if any.
    mutating func move(until time: MonotonicInstant) -> NewEraAlarm? {
        let start = now ?? time
        now = max(start, time)
        var end = max(start, time)
        var expired = false
        if let deadline = safeModeDeadline, deadline <= end {
            end = max(start, deadline)
            expired = true
        }
        let alarm = movePlunger(for: end - start)
        if let alarm { return alarm }
        if expired {
            lastValidPacket = nil
            motion = .stopped
            return .safeModeTimeout
        }
        return nil
    }

    /// When the safe-mode communication timer runs out, if it is running.
    private var safeModeDeadline: MonotonicInstant? {
        guard framing == .safe, safeModeTimeoutSeconds > 0, pendingAlarm == nil, let lastValidPacket else {
            return nil
        }
        return lastValidPacket + .seconds(Int(safeModeTimeoutSeconds))
    }

    private mutating func movePlunger(for duration: Duration) -> NewEraAlarm? {
        guard motion.isMoving else { return nil }
        if faults.contains(where: \.blocksMotor) || (motion != .withdrawing && plunger.isAtEndOfTravel) {
            motion = .stopped
            return .stalled
        }
        let hours = duration.secondsDouble / 3600
        let rateMillilitresPerHour =
            motion == .purging
            ? configuration.limits.rateRangeMillilitresPerHour(diameterMillimetres: diameterMillimetres).upperBound
            : rate.value * rateUnits.millilitresPerHour
        var wanted = rateMillilitresPerHour * hours
        let target = targetVolume.value * volumeUnits.millilitres
        if motion != .purging, target > 0 { wanted = min(wanted, max(0, target - runMillilitres)) }
        if motion == .withdrawing {
            let moved = plunger.withdraw(millilitres: wanted, diameterMillimetres: diameterMillimetres)
            withdrawnMillilitres += moved
            runMillilitres += moved
        } else {
            let moved = plunger.infuse(millilitres: wanted, diameterMillimetres: diameterMillimetres)
            infusedMillilitres += moved
            runMillilitres += moved
            if moved < wanted - 1e-12 {
                motion = .stopped
                return .stalled
            }
        }
        if motion != .purging, target > 0, runMillilitres >= target - 1e-12 {
            motion = .stopped
        }
        return nil
    }

    /// Sets `alarm` pending and, in safe mode, sends it unsolicited (the manual's Auto-Alarm; that
    /// packet does not acknowledge the alarm).
    mutating func raise(_ alarm: NewEraAlarm, at time: MonotonicInstant) -> [UInt8] {
        pendingAlarm = alarm
        motion = .stopped
        guard framing == .safe else { return [] }
        let packet = NewEraReply(address: address, status: .alarm(alarm), framing: .safe)
        return shaper.shape(packet.encoded, faults: faults, at: time)
    }
}

extension NewEraRequest {
    /// A request carrying only `addressing`, to ask whether a damaged packet was meant for us.
    fileprivate init(addressing: Addressing) {
        self.init(address: nil, command: .status)
        self.addressing = addressing
    }
}
