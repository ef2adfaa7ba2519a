public import InfusionCore

extension HarvardPumpSimulator {
    public mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        unsolicited += advance(to: time)
        switch PumpControlCommand.parse(words) {
        case .failure(let error): return "error " + error.text
        case .success(.listFaults): return PumpControlCommand.describe(faults)
        case .success(.state):
            return "ok protocol=harvard address=\(configuration.address) prompt=\(prompt.rawValue) "
                + "diameter_mm=\(diameterMillimetres) rate=\(rateValue)\(rateUnits.rawValue) infused_ml=\(infusedMillilitres) "
                + "garbage_bytes=\(shaper.noise.bytesWritten)"
        case .success(.powerCycle):
            // No reset alarm is documented for Harvard pumps: the pump simply comes back idle.
            isInfusing = false
            isStalled = false
            return "ok"
        case .success(.keypadDiameter(let millimetres)):
            guard !isInfusing else { return "error the diameter cannot change while infusing" }
            diameterMillimetres = millimetres
            return "ok"
        case .success(.noiseRate(let bytesPerSecond)):
            shaper.noise.bytesPerSecond = bytesPerSecond
            return "ok"
        case .success(.setFault(.disconnect, _)):
            return "error disconnect is a link fault handled by the simulator host"
        case .success(.setFault(.safeModeExpiry, _)):
            return "error Harvard pumps have no safe mode"
        case .success(.setFault(let fault, let on)):
            if fault == .syringeEmpty {
                if on { plunger.moveToEndOfTravel() } else { plunger.reload() }
            }
            if on { faults.insert(fault) } else { faults.remove(fault) }
            shaper.noise.switched(on: faults.contains(.noise), at: time)
            return "ok"
        }
    }
}
