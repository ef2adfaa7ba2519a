/// The control-channel lines both pump models understand (docs/SIMULATORS.md "Control channel").
enum PumpControlCommand: Equatable, Sendable {
    /// `fault <name> on|off`
    case setFault(PumpFault, Bool)
    /// `faults`: list the active switches.
    case listFaults
    /// `state`: one line of `key=value` pairs describing the pump.
    case state
    /// `power-cycle`: the pump loses power and comes back with its reset alarm pending.
    case powerCycle
    /// `keypad-diameter <mm>`: someone sets the syringe diameter on the pump's own keypad (only while
    /// it is still, as over the wire).
    case keypadDiameter(Double)
    /// `noise-rate <bytes/s>`: random bytes per second sent between replies while the noise fault is on.
    case noiseRate(Double)

    /// Parses `words`; the error text when they are not a pump control line.
    static func parse(_ words: [Substring]) -> Result<PumpControlCommand, ParseError> {
        switch words.first {
        case "fault":
            guard words.count == 3, let fault = PumpFault(rawValue: String(words[1])) else {
                let names = PumpFault.allCases.map(\.rawValue).joined(separator: "|")
                return .failure(ParseError(text: "usage: fault <\(names)> on|off"))
            }
            switch words[2] {
            case "on": return .success(.setFault(fault, true))
            case "off": return .success(.setFault(fault, false))
            default: return .failure(ParseError(text: "usage: fault \(fault.rawValue) on|off"))
            }
        case "faults" where words.count == 1: return .success(.listFaults)
        case "state" where words.count == 1: return .success(.state)
        case "power-cycle" where words.count == 1: return .success(.powerCycle)
        case "keypad-diameter":
            guard words.count == 2, let millimetres = Double(words[1]), millimetres > 0 else {
                return .failure(ParseError(text: "usage: keypad-diameter <mm>"))
            }
            return .success(.keypadDiameter(millimetres))
        case "noise-rate":
            guard words.count == 2, let value = Double(words[1]), (0...LineNoise.maximumBytesPerSecond).contains(value) else {
                return .failure(ParseError(text: "usage: noise-rate <bytes per second, 0 to \(Int(LineNoise.maximumBytesPerSecond))>"))
            }
            return .success(.noiseRate(value))
        default:
            return .failure(ParseError(text: "unknown command; try fault, faults, state, power-cycle, keypad-diameter, noise-rate"))
        }
    }

    struct ParseError: Error, Equatable {
        var text: String
    }

    /// The answer to `faults`.
    static func describe(_ faults: Set<PumpFault>) -> String {
        let names = PumpFault.allCases.filter(faults.contains).map(\.rawValue)
        return names.isEmpty ? "ok none" : "ok " + names.joined(separator: " ")
    }
}
