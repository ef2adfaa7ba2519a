public import InfusionCore

extension NewEraPumpSimulator {
    public mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        // Bring the plunger up to now first, so a switch flipped at `time` acts from `time` on.
        unsolicited += advance(to: time)
        switch PumpControlCommand.parse(words) {
        case .failure(let error): return "error " + error.text
        case .success(.listFaults): return PumpControlCommand.describe(faults)
        case .success(.state): return "ok " + stateDescription
        case .success(.powerCycle):
            lastValidPacket = nil
            runMillilitres = 0
            unsolicited += raise(.reset, at: time)
            return "ok"
        case .success(.setFault(let fault, let on)): return setFault(fault, on: on, at: time)
        case .success(.keypadDiameter(let millimetres)):
            guard status != .infusing else { return "error the diameter cannot change while infusing" }
            diameterMillimetres = millimetres
            return "ok"
        case .success(.noiseRate(let bytesPerSecond)):
            shaper.noise.bytesPerSecond = bytesPerSecond
            return "ok"
        }
    }

    private mutating func setFault(_ fault: PumpFault, on: Bool, at time: MonotonicInstant) -> String {
        switch fault {
        case .disconnect:
            return "error disconnect is a link fault handled by the simulator host"
        case .safeModeExpiry:
            guard on else { return "ok" }
            guard framing == .safe, safeModeTimeoutSeconds > 0 else {
                return "error safe mode is off; the host must send SAF<n> first"
            }
            // Pretend the last valid packet came one timeout ago: the next advance expires it.
            lastValidPacket = time.advanced(by: .seconds(-Int(safeModeTimeoutSeconds)))
            unsolicited += advance(to: time)
            return "ok"
        case .syringeEmpty:
            if on { plunger.moveToEndOfTravel() } else { plunger.reload() }
        case .occlusion, .stall, .noReply, .garbledReply, .slowReply, .ignoreStop, .noise:
            break
        }
        if on { faults.insert(fault) } else { faults.remove(fault) }
        shaper.noise.switched(on: faults.contains(.noise), at: time)
        return "ok"
    }

    /// `key=value` pairs for the `state` control line and for logs.
    var stateDescription: String {
        let alarm = pendingAlarm.map { "A?" + $0.rawValue } ?? "none"
        let remaining = plunger.remainingTravelCentimetres
            * SyringePlunger.crossSectionSquareCentimetres(diameterMillimetres: diameterMillimetres)
        return [
            "protocol=newera", "address=\(address)", "status=\(status.character)", "alarm=\(alarm)",
            "mode=\(framing == .safe ? "safe" : "basic")", "safe_timeout_s=\(safeModeTimeoutSeconds)",
            "diameter_mm=\(diameterMillimetres)", "rate=\(rate.text)\(rateUnits.rawValue)",
            "infused_ml=\(infusedMillilitres)", "withdrawn_ml=\(withdrawnMillilitres)",
            "remaining_ml=\(remaining)", "garbage_bytes=\(shaper.noise.bytesWritten)",
        ].joined(separator: " ")
    }
}
