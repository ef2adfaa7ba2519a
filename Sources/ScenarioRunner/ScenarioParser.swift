/// Reads the line-based scenario format (docs/SCENARIOS.md): one statement per line, `#` starts a
/// comment line, blank lines are ignored. Declarations (`title`, `chair`, `config`) may appear
/// anywhere but are applied before the first step runs.
public enum ScenarioParser {
    /// Parses `text`; throws `ScenarioSyntaxError` naming the first bad line.
    public static func parse(_ text: String) throws(ScenarioSyntaxError) -> Scenario {
        var scenario = Scenario(title: "untitled scenario", chairs: [], configurationPatches: [], steps: [])
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimming(" \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let number = index + 1
            do {
                try parseStatement(line, into: &scenario, line: number)
            } catch let problem as Problem {
                throw ScenarioSyntaxError(line: number, text: String(line), problem: problem.text)
            } catch {
                throw ScenarioSyntaxError(line: number, text: String(line), problem: "\(error)")
            }
        }
        let chairIDs = scenario.chairs.map(\.id)
        guard Set(chairIDs).count == chairIDs.count else {
            throw ScenarioSyntaxError(line: 0, text: "", problem: "chair ids must be unique: \(chairIDs)")
        }
        return scenario
    }

    private struct Problem: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func parseStatement(_ line: Substring, into scenario: inout Scenario, line number: Int) throws {
        let (keyword, rest) = splitWord(line)
        func step(_ action: Action) { scenario.steps.append(Step(line: number, text: String(line), action: action)) }
        switch keyword {
        case "title": scenario.title = String(rest)
        case "chair": scenario.chairs.append(try parseChair(rest))
        case "config":
            guard rest.hasPrefix("{") else { throw Problem("config takes a JSON object") }
            scenario.configurationPatches.append(String(rest))
        case "start-daemon": step(.startDaemon)
        case "kill-daemon": step(.killDaemon)
        case "stop-daemon": step(.stopDaemon)
        case "send":
            let (connection, request, expectation) = try parseRequest(rest)
            step(.send(connection: connection, request: request, expect: expectation))
        case "send-until":
            let (seconds, tail) = try parseSeconds(rest)
            let (connection, request, expectation) = try parseRequest(tail)
            step(.sendUntil(seconds: seconds, connection: connection, request: request, expect: expectation))
        case "send-async":
            let (connection, request) = splitWord(rest)
            guard !connection.isEmpty, request.hasPrefix("{") else { throw Problem("usage: send-async CONNECTION {json}") }
            step(.sendAsync(connection: String(connection), request: String(request)))
        case "collect": step(.collect(outcomes: try parseOutcomes(rest)))
        case "consistent": step(.consistent)
        case "expect", "absent":
            let (seconds, tail) = try parseSeconds(rest)
            let (event, conditionText) = splitWord(tail)
            guard !event.isEmpty else { throw Problem("usage: \(keyword) SECONDS EVENT [key=value ...]") }
            let matcher = EventMatcher(event: String(event), conditions: try parseConditions(conditionText))
            step(keyword == "expect" ? .expect(seconds: seconds, matcher: matcher) : .absent(seconds: seconds, matcher: matcher))
        case "pump", "monitor":
            let (chair, control) = splitWord(rest)
            guard !chair.isEmpty, !control.isEmpty else { throw Problem("usage: \(keyword) CHAIR CONTROL-LINE") }
            step(.control(chair: String(chair), role: keyword == "pump" ? .pump : .monitor, line: String(control)))
        case "unplug", "replug":
            let words = rest.split(separator: " ")
            guard words.count == 2, let role = DeviceRole(rawValue: String(words[1])) else {
                throw Problem("usage: \(keyword) CHAIR pump|monitor")
            }
            step(keyword == "unplug" ? .unplug(chair: String(words[0]), role: role) : .replug(chair: String(words[0]), role: role))
        case "follow":
            let words = rest.split(separator: " ")
            guard words.count == 2, words[1] == "on" || words[1] == "off" else { throw Problem("usage: follow CHAIR on|off") }
            step(.follow(chair: String(words[0]), enabled: words[1] == "on"))
        case "wait-replay":
            let words = rest.split(separator: " ")
            guard words.count == 2, let role = DeviceRole(rawValue: String(words[1])) else {
                throw Problem("usage: wait-replay CHAIR pump|monitor")
            }
            step(.waitReplay(chair: String(words[0]), role: role, seconds: 300))
        case "wait":
            let (seconds, tail) = try parseSeconds(rest)
            guard tail.isEmpty else { throw Problem("usage: wait SECONDS") }
            step(.wait(seconds: seconds))
        case "final":
            let (chair, conditionText) = splitWord(rest)
            guard !chair.isEmpty else { throw Problem("usage: final CHAIR key=value ...") }
            step(.final(chair: String(chair), conditions: try parseConditions(conditionText)))
        default:
            throw Problem("unknown statement '\(keyword)'")
        }
    }

    private static func parseChair(_ text: Substring) throws -> ChairSetup {
        let (id, optionText) = splitWord(text)
        var options: [String: String] = [:]
        for word in optionText.split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw Problem("chair options are key=value, got '\(word)'") }
            options[String(pair[0])] = String(pair[1])
        }
        guard !id.isEmpty, let pump = options.removeValue(forKey: "pump"), let monitor = options.removeValue(forKey: "monitor")
        else { throw Problem("usage: chair ID pump=FAMILY monitor=FAMILY [options]") }
        var chair = ChairSetup(id: String(id), pumpProtocol: pump, monitorProtocol: monitor)
        for (key, value) in options {
            switch key {
            case "preset": chair.preset = value
            case "patient-speed": chair.patientSpeed = try positive(value, key)
            case "cuff-every": chair.cuffIntervalSeconds = try positive(value, key)
            case "syringe": chair.syringeMillilitres = try positive(value, key)
            case "concentration": chair.concentration = try positive(value, key)
            case "follow":
                guard value == "on" || value == "off" else { throw Problem("follow=on|off") }
                chair.followsPump = value == "on"
            case "desaturation": chair.desaturation = value
            case "pump-replay": chair.pumpRecording = value
            case "monitor-replay":
                chair.monitorRecording = value
                chair.followsPump = false
            case "replay-speed": chair.replaySpeed = try positive(value, key)
            case "seed":
                guard let seed = UInt64(value) else { throw Problem("seed must be a whole number") }
                chair.seed = seed
            default: throw Problem("unknown chair option '\(key)'")
            }
        }
        return chair
    }

    private static func positive(_ text: String, _ key: String) throws -> Double {
        guard let value = Double(text), value > 0, value.isFinite else { throw Problem("\(key) must be a positive number") }
        return value
    }

    /// `CONNECTION {json} [=> ok k=v ... | => error CODE | => any]`; without `=>` the reply must be ok.
    private static func parseRequest(_ text: Substring) throws -> (String, String, ReplyExpectation) {
        let (connection, tail) = splitWord(text)
        let parts = tail.components(separatedBy: " => ")
        guard !connection.isEmpty, parts.count <= 2, let request = parts.first, request.hasPrefix("{") else {
            throw Problem("usage: send CONNECTION {json} [=> ok key=value ... | => error CODE | => any]")
        }
        guard parts.count == 2 else { return (String(connection), request, .ok([])) }
        let (kind, conditions) = splitWord(Substring(parts[1]))
        switch kind {
        case "ok": return (String(connection), request, .ok(try parseConditions(conditions)))
        case "any": return (String(connection), request, .any)
        case "error" where !conditions.isEmpty && !conditions.contains(" "):
            return (String(connection), request, .error(String(conditions)))
        default: throw Problem("a reply is expected as 'ok [key=value ...]', 'error CODE' or 'any'")
        }
    }

    private static func parseOutcomes(_ text: Substring) throws -> [String: Int] {
        var outcomes: [String: Int] = [:]
        for word in text.split(separator: " ") {
            let pair = word.split(separator: "=")
            guard pair.count == 2, let count = Int(pair[1]), count >= 0 else {
                throw Problem("usage: collect OUTCOME=COUNT ... (OUTCOME is ok or an error code)")
            }
            outcomes[String(pair[0]), default: 0] += count
        }
        guard !outcomes.isEmpty else { throw Problem("collect needs at least one OUTCOME=COUNT") }
        return outcomes
    }

    private static func parseConditions(_ text: Substring) throws -> [Condition] {
        try text.split(separator: " ").map { word in
            guard let condition = Condition(parsing: word) else { throw Problem("'\(word)' is not key=value") }
            return condition
        }
    }

    private static func parseSeconds(_ text: Substring) throws -> (Double, Substring) {
        let (word, tail) = splitWord(text)
        guard let seconds = Double(word), seconds >= 0, seconds.isFinite else {
            throw Problem("expected a number of seconds, got '\(word)'")
        }
        return (seconds, tail)
    }

    /// The first space-separated word and the trimmed rest.
    private static func splitWord(_ text: Substring) -> (Substring, Substring) {
        let trimmed = text.trimming(" ")
        guard let space = trimmed.firstIndex(of: " ") else { return (trimmed, "") }
        return (trimmed[..<space], trimmed[trimmed.index(after: space)...].trimming(" "))
    }
}

/// A scenario file that cannot be read: the line, its text and what is wrong.
public struct ScenarioSyntaxError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var text: String
    public var problem: String
    public var description: String { "line \(line): \(problem)" + (text.isEmpty ? "" : "\n  \(text)") }
}

extension Substring {
    /// The substring without leading and trailing characters from `set`.
    func trimming(_ set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}
