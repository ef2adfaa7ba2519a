import Foundation

/// Turns a captured event stream into lines that compare equal across runs of the same recording:
/// what depends on when the run happened (times, sequence numbers, uptime) is dropped, the periodic
/// pump reports whose count depends on the run's length are dropped, so are link up/down events
/// (whether the links come up before or after the watcher subscribes at start is a race; a lost link
/// still shows in the alarm it raises), events are grouped by chair and
/// topic (the order within one topic is kept; the interleaving of topics is timing), and repeats in
/// a row are folded into one line. The run's scratch directory becomes `$DIR`.
public enum EventNormaliser {
    /// Events left out of the comparison: periodic reports, one per poll or delivery interval.
    public static let periodicEvents: Set<String> = ["pump.readback", "pump.delivery"]
    /// Topics left out of the comparison: link state, whose first events race the watcher's subscription.
    public static let racingTopics: Set<String> = ["devices"]
    /// Keys removed wherever they occur.
    public static let volatileKeys: Set<String> = ["time", "seq", "uptimeSeconds", "until", "pid"]

    public static func normalise(_ lines: [String], scratchDirectory: String? = nil) -> [String] {
        var groups: [String: [String]] = [:]
        for line in lines {
            // The daemon may print slashes plain or escaped; both forms are the same path.
            var located = line
            if let directory = scratchDirectory {
                located = located.replacingOccurrences(of: directory, with: "$DIR")
                    .replacingOccurrences(of: directory.replacingOccurrences(of: "/", with: "\\/"), with: "$DIR")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(located.utf8)) as? [String: Any],
                let name = object["event"] as? String, !periodicEvents.contains(name),
                !racingTopics.contains(object["topic"] as? String ?? "")
            else { continue }
            let cleaned = strip(object)
            guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]) else { continue }
            let chair = ((object["data"] as? [String: Any])?["chair"] as? String) ?? "-"
            let key = "\(chair) \(object["topic"] as? String ?? "-")"
            let text = String(decoding: data, as: UTF8.self)
            if groups[key]?.last != text { groups[key, default: []].append(text) }
        }
        return groups.keys.sorted().flatMap { key in ["# chair/topic \(key)"] + (groups[key] ?? []) }
    }

    private static func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, inner) in object where !volatileKeys.contains(key) { result[key] = strip(inner) }
            return result
        }
        if let list = value as? [Any] { return list.map(strip) }
        return value
    }
}
