/// The control-channel lines every monitor simulator understands (docs/SIMULATORS.md).
enum MonitorControlCommand: Equatable, Sendable {
    /// `fault <name> on|off`
    case setFault(MonitorFault, Bool)
    /// `faults`: list the active switches.
    case listFaults
    /// `state`: one line of `key=value` pairs describing the patient and the device.
    case state
    /// `concentration <ng/mL>`: hold the plasma concentration from now on.
    case holdConcentration(Double)
    /// `infusion-rate <mg/h>`: follow the pump's delivery through the pharmacokinetic model.
    case infusionRate(Double)
    /// `ecg-rate <bpm>|off` and `pleth-rate <bpm>|off`: one source counts this rate instead of the
    /// patient's (nil: follow the patient again), so the ECG and the pulse oximeter disagree.
    case holdRate(HeartRateSource, Double?)
    /// `noise-rate <bytes/s>`: random bytes per second sent between messages while the garbage fault is on.
    case noiseRate(Double)

    /// Which instrument counts a heart rate.
    enum HeartRateSource: String, Equatable, Sendable {
        /// The ECG's heart rate (IntelliVue only).
        case ecg
        /// The pulse oximeter's pleth pulse rate.
        case pleth
    }

    static let usage = "unknown command; try fault, faults, state, concentration, infusion-rate, ecg-rate, pleth-rate, noise-rate"

    /// Parses `words`; the error text when they are not a monitor control line.
    static func parse(_ words: [Substring]) -> Result<MonitorControlCommand, ParseError> {
        switch words.first {
        case "fault":
            guard words.count == 3, let fault = MonitorFault(rawValue: String(words[1])) else {
                let names = MonitorFault.allCases.map(\.rawValue).joined(separator: "|")
                return .failure(ParseError(text: "usage: fault <\(names)> on|off"))
            }
            switch words[2] {
            case "on": return .success(.setFault(fault, true))
            case "off": return .success(.setFault(fault, false))
            default: return .failure(ParseError(text: "usage: fault \(fault.rawValue) on|off"))
            }
        case "faults" where words.count == 1: return .success(.listFaults)
        case "state" where words.count == 1: return .success(.state)
        case "concentration":
            guard words.count == 2, let value = Double(words[1]), value.isFinite, value >= 0 else {
                return .failure(ParseError(text: "usage: concentration <ng/mL, not negative>"))
            }
            return .success(.holdConcentration(value))
        case "infusion-rate":
            guard words.count == 2, let value = Double(words[1]), value.isFinite, value >= 0 else {
                return .failure(ParseError(text: "usage: infusion-rate <mg/h, not negative>"))
            }
            return .success(.infusionRate(value))
        case "ecg-rate", "pleth-rate":
            let source: HeartRateSource = words[0] == "ecg-rate" ? .ecg : .pleth
            if words.count == 2, words[1] == "off" { return .success(.holdRate(source, nil)) }
            guard words.count == 2, let value = Double(words[1]), value.isFinite, (0...300).contains(value) else {
                return .failure(ParseError(text: "usage: \(words[0]) <beats/min, 0 to 300>|off"))
            }
            return .success(.holdRate(source, value))
        case "noise-rate":
            guard words.count == 2, let value = Double(words[1]), (0...LineNoise.maximumBytesPerSecond).contains(value) else {
                return .failure(ParseError(text: "usage: noise-rate <bytes per second, 0 to \(Int(LineNoise.maximumBytesPerSecond))>"))
            }
            return .success(.noiseRate(value))
        default: return .failure(ParseError(text: usage))
        }
    }

    struct ParseError: Error, Equatable {
        var text: String
    }
}
