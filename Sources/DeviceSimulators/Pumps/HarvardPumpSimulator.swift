import DeviceProtocols
public import InfusionCore

/// The device side of a Harvard Pump 11 Elite as far as docs/DEVICE-BASIS.md §3 describes it:
/// command lines ended by CR, replies `\r\n[lines\r\n]<addr:2><prompt>`, the prompts `:` `>`
/// `<` `*` `T*`, `?` for unknown commands and `OOR` for values it cannot take, plus the same
/// plunger model and fault switches as the NE-1000 simulator (Harvard pumps have no safe mode).
public struct HarvardPumpSimulator: ControllableDevice {
    public struct Configuration: Hashable, Sendable {
        public var address: UInt8
        /// Syringe inside diameter, mm (default BD 60 mL, 26.59 mm).
        public var diameterMillimetres: Double
        /// Volume loaded, mL.
        public var loadedMillilitres: Double
        /// What `ver` prints; the Elite driver looks for `ELITE`.
        public var version: String
        /// How late replies come under the slow-reply fault (as for the NE-1000 simulator).
        public var slowReplyDelay: Duration
        /// Seed of the noise fault's random bytes.
        public var noiseSeed: UInt64

        public init(
            address: UInt8 = 0,
            diameterMillimetres: Double = 26.59,
            loadedMillilitres: Double = 50,
            version: String = "11 ELITE I/W Single 3.0.4",
            slowReplyDelay: Duration = .seconds(2),
            noiseSeed: UInt64 = 1
        ) {
            self.address = address
            self.diameterMillimetres = diameterMillimetres
            self.loadedMillilitres = loadedMillilitres
            self.version = version
            self.slowReplyDelay = slowReplyDelay
            self.noiseSeed = noiseSeed
        }
    }

    let configuration: Configuration
    var diameterMillimetres: Double
    var rateValue = 0.0
    var rateUnits = HarvardRateUnits.millilitresPerHour
    /// Target volume in mL; nil when cleared (run until stopped).
    var targetMillilitres: Double?
    var infusedMillilitres = 0.0
    var withdrawnMillilitres = 0.0
    var isInfusing = false
    var isStalled = false
    var reachedTarget = false
    /// Simulated seconds spent infusing, for the `status` line.
    var runSeconds = 0.0
    var plunger: SyringePlunger
    var faults: Set<PumpFault> = []
    var shaper: PumpReplyShaper
    var unsolicited: [UInt8] = []
    private var decoder = HarvardCommandDecoder()
    private var now: MonotonicInstant?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        diameterMillimetres = configuration.diameterMillimetres
        plunger = SyringePlunger(
            loadedMillilitres: configuration.loadedMillilitres,
            diameterMillimetres: configuration.diameterMillimetres
        )
        shaper = PumpReplyShaper(slowReplyDelay: configuration.slowReplyDelay, noiseSeed: configuration.noiseSeed)
    }

    public mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] {
        var output = advance(to: time)
        for request in decoder.decode(bytes) where request.isAddressed(to: configuration.address) {
            let lines = execute(request.command)
            let reply = HarvardReply(address: configuration.address, lines: lines, prompt: prompt)
            output += shaper.shape(reply.encoded, faults: faults, at: time)
        }
        return output
    }

    public mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        let start = now ?? time
        now = max(start, time)
        if isInfusing { infuse(for: max(start, time) - start) }
        let output = unsolicited
        unsolicited.removeAll()
        return output + shaper.due(at: time, faults: faults)
    }

    var prompt: HarvardPrompt {
        if isStalled { return .stalled }
        if reachedTarget { return .targetReached }
        return isInfusing ? .infusing : .idle
    }

    private mutating func infuse(for duration: Duration) {
        if faults.contains(where: \.blocksMotor) || plunger.isAtEndOfTravel {
            isInfusing = false
            isStalled = true
            return
        }
        var wanted = rateValue * rateUnits.millilitresPerHour * duration.secondsDouble / 3600
        if let targetMillilitres { wanted = min(wanted, max(0, targetMillilitres - infusedMillilitres)) }
        let moved = plunger.infuse(millilitres: wanted, diameterMillimetres: diameterMillimetres)
        infusedMillilitres += moved
        runSeconds += duration.secondsDouble
        if moved < wanted - 1e-12 {
            isInfusing = false
            isStalled = true
        } else if let targetMillilitres, infusedMillilitres >= targetMillilitres - 1e-12 {
            isInfusing = false
            reachedTarget = true
        }
    }

    /// Executes one command and returns the data lines of the reply.
    private mutating func execute(_ command: HarvardCommand?) -> [String] {
        guard let command else { return [HarvardError.unknownCommand.rawValue] }
        switch command {
        case .prompt: return []
        case .run:
            isStalled = false
            reachedTarget = false
            isInfusing = rateValue > 0
            return []
        case .stop:
            if faults.remove(.ignoreStop) != nil { return [] }
            isInfusing = false
            isStalled = false
            return []
        case .setInfusionRate(let value, let units):
            // The reference gives no Harvard rate limits; only a non-positive rate is refused.
            guard value > 0 else { return [HarvardError.outOfRange.rawValue] }
            rateValue = value
            rateUnits = units
            return []
        case .queryInfusionRate:
            return ["\(Self.number(rateValue)) \(rateUnits.rawValue)"]
        case .setTargetVolume(let value, let units):
            guard value > 0 else { return [HarvardError.outOfRange.rawValue] }
            targetMillilitres = value * units.millilitres
            return []
        case .queryTargetVolume:
            return [targetMillilitres.map { "\(Self.number($0)) ml" } ?? "Target volume not set"]
        case .queryInfusedVolume: return ["\(Self.number(infusedMillilitres)) ml"]
        case .queryWithdrawnVolume: return ["\(Self.number(withdrawnMillilitres)) ml"]
        case .clearVolumes:
            infusedMillilitres = 0
            withdrawnMillilitres = 0
            return []
        case .clearTargetVolume:
            targetMillilitres = nil
            reachedTarget = false
            return []
        case .setDiameter(let value):
            guard value > 0, !isInfusing else { return [HarvardError.outOfRange.rawValue] }
            diameterMillimetres = value
            return []
        case .queryDiameter: return ["\(Self.number(diameterMillimetres)) mm"]
        case .queryVersion: return [configuration.version]
        case .queryStatus: return [statusLine]
        }
    }

    /// `<rate fL/s> <time s> <volume fL> <flags>`, six flags as the Elite driver reads them.
    var statusLine: String {
        let femtolitresPerSecond = isInfusing ? rateValue * rateUnits.millilitresPerHour * 1e12 / 3600 : 0
        let flags = [
            isInfusing ? "I" : "i", plunger.isAtEndOfTravel ? "I" : ".", isStalled ? "S" : ".", ".", "I",
            reachedTarget ? "T" : ".",
        ].joined()
        let rate = Int(femtolitresPerSecond.rounded())
        let volume = Int((infusedMillilitres * 1e12).rounded())
        return "\(rate) \(Int(runSeconds)) \(volume) \(flags)"
    }

    /// Four decimals, as the Elite prints volumes and rates.
    static func number(_ value: Double) -> String {
        let scaled = Int((max(0, value) * 10_000).rounded())
        var fraction = String(scaled % 10_000)
        while fraction.count < 4 { fraction = "0" + fraction }
        return "\(scaled / 10_000).\(fraction)"
    }
}
