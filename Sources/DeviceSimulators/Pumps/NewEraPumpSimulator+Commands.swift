import DeviceProtocols

extension NewEraPumpSimulator {
    /// Executes one command the pump recognised and returns the reply body. Rules from
    /// docs/DEVICE-BASIS.md §1; where the manual is silent the choice is marked as an inference.
    mutating func execute(_ command: NewEraCommand) -> NewEraReply.Body {
        switch command {
        case .status: return .payload("")
        case .queryVersion: return .payload(configuration.version.text)
        case .setDiameter(let number): return setDiameter(number)
        case .queryDiameter: return .payload(Self.fixed(diameterMillimetres))
        case .setRate(let number, let units): return setRate(number, units: units)
        case .queryRate: return .payload(Self.fixed(rate.value) + rateUnits.rawValue)
        case .setVolume(let number):
            targetVolume = number
            return .payload("")
        case .setVolumeUnits(let units):
            // The manual's example of `?NA`: changing units while pumping.
            guard !motion.isMoving else { return .error(.notApplicable) }
            volumeUnits = units
            return .payload("")
        case .queryVolume: return .payload(Self.fixed(targetVolume.value) + volumeUnits.rawValue)
        case .setDirection(let requested): return setDirection(requested)
        case .queryDirection: return .payload(direction.rawValue)
        case .run: return run()
        case .purge:
            motion = .purging
            return .payload("")
        case .stop:
            if faults.remove(.ignoreStop) != nil { return .payload("") }
            // First STP pauses, a second stops (Aladdin driver expects `P`, labmcp sends two).
            motion = motion.isMoving ? .paused : .stopped
            return .payload("")
        case .queryDispensed:
            let infused = Self.fixed(infusedMillilitres / volumeUnits.millilitres)
            let withdrawn = Self.fixed(withdrawnMillilitres / volumeUnits.millilitres)
            return .payload("I" + infused + "W" + withdrawn + volumeUnits.rawValue)
        case .clearDispensed(.infused):
            infusedMillilitres = 0
            return .payload("")
        case .clearDispensed(.withdrawn):
            withdrawnMillilitres = 0
            return .payload("")
        case .setSafeModeTimeout(let seconds):
            safeModeTimeoutSeconds = seconds
            framing = seconds == 0 ? .basic : .safe
            return .payload("")
        case .querySafeModeTimeout: return .payload(String(safeModeTimeoutSeconds))
        case .setAddress(let newAddress, baud: _):
            // Baud is meaningless on a pseudo-terminal; the address takes effect for this reply.
            address = newAddress
            return .payload("")
        case .queryAddress: return .payload(String(address))
        }
    }

    private mutating func setDiameter(_ number: NewEraNumber) -> NewEraReply.Body {
        // Inference: the syringe cannot be redefined under a moving plunger.
        guard !motion.isMoving else { return .error(.notApplicable) }
        guard configuration.limits.diameterMillimetres.contains(number.value) else { return .error(.outOfRange) }
        diameterMillimetres = number.value
        volumeUnits = .selected(byDiameterMillimetres: number.value)
        return .payload("")
    }

    private mutating func setRate(_ number: NewEraNumber, units: NewEraRateUnits?) -> NewEraReply.Body {
        let newUnits = units ?? rateUnits
        // Units cannot change while pumping; the value can, and takes effect at once.
        if newUnits != rateUnits, motion.isMoving { return .error(.notApplicable) }
        let millilitresPerHour = number.value * newUnits.millilitresPerHour
        let allowed = configuration.limits.rateRangeMillilitresPerHour(diameterMillimetres: diameterMillimetres)
        guard allowed.contains(millilitresPerHour) else { return .error(.outOfRange) }
        rate = number
        rateUnits = newUnits
        return .payload("")
    }

    private mutating func setDirection(_ requested: NewEraDirection) -> NewEraReply.Body {
        // Direction may change while pumping only in continuous mode (VOL = 0).
        if motion.isMoving, targetVolume.thousandths != 0 { return .error(.notApplicable) }
        let newDirection: NewEraDirection =
            switch requested {
            case .reverse: direction == .infuse ? .withdraw : .infuse
            default: requested
            }
        direction = newDirection
        if motion.isMoving, motion != .purging { motion = newDirection == .infuse ? .infusing : .withdrawing }
        return .payload("")
    }

    private mutating func run() -> NewEraReply.Body {
        if motion == .stopped { runMillilitres = 0 }
        motion = direction == .infuse ? .infusing : .withdrawing
        return .payload("")
    }

    /// The pump's fixed four-digit form; values beyond 9999 show as 9999 (inference: the display
    /// has four digits).
    static func fixed(_ value: Double) -> String {
        (NewEraNumber(fixedWidth: min(max(0, value), 9999)) ?? .zero).text
    }
}
