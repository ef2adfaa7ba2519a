/// Rate units of `irate` (docs/DEVICE-BASIS.md §3).
public enum HarvardRateUnits: String, CaseIterable, Hashable, Sendable {
    case millilitresPerHour = "ml/h"
    case millilitresPerMinute = "ml/min"
    case microlitresPerHour = "ul/h"
    case microlitresPerMinute = "ul/min"

    /// How many mL/h one unit is.
    public var millilitresPerHour: Double {
        switch self {
        case .millilitresPerHour: 1
        case .millilitresPerMinute: 60
        case .microlitresPerHour: 0.001
        case .microlitresPerMinute: 0.06
        }
    }

    /// Reads a unit as pumps print it, tolerating `hr` for `h` and any letter case.
    public init?(spelling: some StringProtocol) {
        let text = spelling.lowercased().replacingOccurrences(of: "hr", with: "h")
        self.init(rawValue: text)
    }
}

/// Volume units of `tvolume`, `ivolume`, `wvolume`.
public enum HarvardVolumeUnits: String, CaseIterable, Hashable, Sendable {
    case millilitres = "ml"
    case microlitres = "ul"

    /// How many mL one unit is.
    public var millilitres: Double {
        switch self {
        case .millilitres: 1
        case .microlitres: 0.001
        }
    }
}

extension String {
    /// `replacingOccurrences` without Foundation, for the short unit strings above.
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
