/// Commands of the Harvard Pump 11 Elite / PHD ULTRA that a clinic needs, as far as
/// docs/DEVICE-BASIS.md §3 documents them. A command with no argument is a query.
public enum HarvardCommand: Hashable, Sendable {
    /// An empty line: the pump answers with its prompt only (inference; used as a status poll).
    case prompt
    case run
    case stop
    /// `irate <value> <units>`.
    case setInfusionRate(Double, HarvardRateUnits)
    case queryInfusionRate
    /// `tvolume <value> <units>`: stop after this volume.
    case setTargetVolume(Double, HarvardVolumeUnits)
    case queryTargetVolume
    /// `ivolume`: volume infused.
    case queryInfusedVolume
    /// `wvolume`: volume withdrawn.
    case queryWithdrawnVolume
    /// `cvolume`: clear infused and withdrawn volumes.
    case clearVolumes
    /// `ctvolume`: clear the target volume.
    case clearTargetVolume
    /// `diameter <mm>`.
    case setDiameter(Double)
    case queryDiameter
    case queryVersion
    /// `status`: rate, time, volume and flags on one line.
    case queryStatus

    /// The full command names; the pump also takes any abbreviation of four letters or more.
    static let names = [
        "run", "stop", "irate", "tvolume", "ivolume", "wvolume", "cvolume", "ctvolume", "diameter", "ver", "status",
    ]

    /// The command line without address or terminator; nil when a number cannot be written.
    public var text: String? {
        switch self {
        case .prompt: ""
        case .run: "run"
        case .stop: "stop"
        case .setInfusionRate(let value, let units): HarvardNumber.text(value).map { "irate \($0) \(units.rawValue)" }
        case .queryInfusionRate: "irate"
        case .setTargetVolume(let value, let units): HarvardNumber.text(value).map { "tvolume \($0) \(units.rawValue)" }
        case .queryTargetVolume: "tvolume"
        case .queryInfusedVolume: "ivolume"
        case .queryWithdrawnVolume: "wvolume"
        case .clearVolumes: "cvolume"
        case .clearTargetVolume: "ctvolume"
        case .setDiameter(let value): HarvardNumber.text(value).map { "diameter \($0)" }
        case .queryDiameter: "diameter"
        case .queryVersion: "ver"
        case .queryStatus: "status"
        }
    }

    /// Parses a command line (no address). Nil when the pump would answer `?`: unknown word,
    /// or arguments it cannot read. Out-of-range values parse; the pump judges them.
    public init?(line: some StringProtocol) {
        let words = line.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first else {
            self = .prompt
            return
        }
        guard let name = Self.fullName(of: first) else { return nil }
        let arguments = words.dropFirst().map(String.init)
        switch (name, arguments.count) {
        case ("run", 0): self = .run
        case ("stop", 0): self = .stop
        case ("irate", 0): self = .queryInfusionRate
        case ("irate", 2):
            guard let value = HarvardNumber.value(arguments[0]), let units = HarvardRateUnits(spelling: arguments[1])
            else { return nil }
            self = .setInfusionRate(value, units)
        case ("tvolume", 0): self = .queryTargetVolume
        case ("tvolume", 2):
            guard let value = HarvardNumber.value(arguments[0]), let units = HarvardVolumeUnits(rawValue: arguments[1])
            else { return nil }
            self = .setTargetVolume(value, units)
        case ("ivolume", 0): self = .queryInfusedVolume
        case ("wvolume", 0): self = .queryWithdrawnVolume
        case ("cvolume", 0): self = .clearVolumes
        case ("ctvolume", 0): self = .clearTargetVolume
        case ("diameter", 0): self = .queryDiameter
        case ("diameter", 1), ("diameter", 2):
            guard let value = HarvardNumber.value(arguments[0]), arguments.count == 1 || arguments[1] == "mm" else {
                return nil
            }
            self = .setDiameter(value)
        case ("ver", 0): self = .queryVersion
        case ("status", 0): self = .queryStatus
        default: return nil
        }
    }

    /// The command a word names: the full name, or an unambiguous abbreviation of ≥ 4 letters.
    private static func fullName(of word: Substring) -> String? {
        if let exact = names.first(where: { $0 == word }) { return exact }
        guard word.count >= 4 else { return nil }
        let matches = names.filter { $0.hasPrefix(word) }
        return matches.count == 1 ? matches[0] : nil
    }
}
