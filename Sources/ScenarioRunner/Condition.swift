// Full Foundation: the runner reads the daemon's JSON lines with JSONSerialization and starts
// processes with Process, neither of which FoundationEssentials has.
import Foundation

/// One `key<op>value` test on a JSON object, such as `state=infusing`, `rateMillilitresPerHour<4`
/// or `causes=systolicHigh` (an array matches when it holds the value).
///
/// The key is a dotted path (`alarms.systolicHigh`). Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`;
/// numbers compare as numbers, everything else as text; a missing key satisfies only `!=`.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        // Longest first, so `<=` is not read as `<`.
        case notEqual = "!="
        case atMost = "<="
        case atLeast = ">="
        case equal = "="
        case below = "<"
        case above = ">"
    }

    public var path: [String]
    public var comparison: Operator
    public var value: String

    public var description: String { path.joined(separator: ".") + comparison.rawValue + value }

    /// Parses `key<op>value`; nil when there is no operator or no key.
    public init?(parsing text: Substring) {
        for candidate in Operator.allCases {
            guard let range = text.range(of: candidate.rawValue) else { continue }
            let key = text[..<range.lowerBound]
            guard !key.isEmpty, !key.contains(where: { "<>!=".contains($0) }) else { continue }
            path = key.split(separator: ".").map(String.init)
            comparison = candidate
            value = String(text[range.upperBound...])
            return
        }
        return nil
    }

    /// Whether `object` satisfies the condition.
    public func holds(in object: [String: Any]) -> Bool {
        guard let found = Self.lookup(path, in: object) else { return comparison == .notEqual }
        if let list = found as? [Any] {
            let contains = list.contains { compare($0) == .orderedSame }
            return comparison == .notEqual ? !contains : (comparison == .equal && contains)
        }
        guard let order = compare(found) else { return comparison == .notEqual }
        switch comparison {
        case .equal: return order == .orderedSame
        case .notEqual: return order != .orderedSame
        case .below: return order == .orderedAscending
        case .atMost: return order != .orderedDescending
        case .above: return order == .orderedDescending
        case .atLeast: return order != .orderedAscending
        }
    }

    /// How `found` orders against `value`; nil when they cannot be compared.
    private func compare(_ found: Any) -> ComparisonResult? {
        if let flag = found as? Bool, let expected = Bool(value) {
            return flag == expected ? .orderedSame : nil
        }
        if let number = (found as? NSNumber)?.doubleValue ?? (found as? Double), let expected = Double(value) {
            // Wire numbers are printed decimals; a millionth is far below any clinical resolution.
            if abs(number - expected) <= 1e-6 * max(1, abs(expected)) { return .orderedSame }
            return number < expected ? .orderedAscending : .orderedDescending
        }
        if let text = found as? String {
            return text == value ? .orderedSame : (text < value ? .orderedAscending : .orderedDescending)
        }
        return nil
    }

    static func lookup(_ path: [String], in object: [String: Any]) -> Any? {
        var current: Any = object
        for key in path {
            guard let dictionary = current as? [String: Any], let next = dictionary[key] else { return nil }
            current = next
        }
        return current
    }
}

/// Which events an `expect` or `absent` step means: the event name (or names separated by `|`), and
/// conditions looked up in the event's `data.detail`, then in `data` (so `chair=1` and
/// `state=infusing` both work).
public struct EventMatcher: Sendable, Equatable, CustomStringConvertible {
    public var event: String
    public var conditions: [Condition]

    public init(event: String, conditions: [Condition]) {
        self.event = event
        self.conditions = conditions
    }

    public var description: String { ([event] + conditions.map(\.description)).joined(separator: " ") }

    /// Whether the event line (parsed) is a match.
    public func matches(_ message: [String: Any]) -> Bool {
        guard let name = message["event"] as? String, event.split(separator: "|").contains(Substring(name)) else {
            return false
        }
        let data = message["data"] as? [String: Any] ?? [:]
        let detail = data["detail"] as? [String: Any] ?? [:]
        return conditions.allSatisfy { condition in
            Condition.lookup(condition.path, in: detail) != nil ? condition.holds(in: detail) : condition.holds(in: data)
        }
    }
}
