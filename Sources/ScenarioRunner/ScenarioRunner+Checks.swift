import Foundation

extension ScenarioRunner {
    /// Checks one reply against what the step expects.
    func check(_ reply: [String: Any], _ expectation: ReplyExpectation) throws(RunnerFailure) {
        if let problem = mismatch(reply, expectation) { throw RunnerFailure(problem) }
    }

    /// Why `reply` does not meet `expectation`, or nil when it does.
    func mismatch(_ reply: [String: Any], _ expectation: ReplyExpectation) -> String? {
        let ok = reply["ok"] as? Bool ?? false
        let text = Self.render(reply)
        switch expectation {
        case .any:
            return nil
        case .ok(let conditions):
            guard ok else { return "expected an ok reply, got \(text)" }
            let result = reply["result"] as? [String: Any] ?? [:]
            let failed = conditions.filter { !$0.holds(in: result) }
            return failed.isEmpty ? nil : "reply result does not satisfy \(failed.map(\.description)): \(text)"
        case .error(let code):
            guard !ok, Self.errorCode(reply) == code else { return "expected error '\(code)', got \(text)" }
            return nil
        }
    }

    func sendUntil(seconds: Double, connection: String, request: String, expectation: ReplyExpectation) throws(RunnerFailure) {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            guard let session = currentSession else { throw RunnerFailure("infusiond is not running") }
            let reply = try session.request(request, on: connection)
            guard let problem = mismatch(reply, expectation) else { return }
            guard Date() < deadline else { throw RunnerFailure("still after \(seconds) s: \(problem)") }
            pass(0.5)
        }
    }

    func collect(_ expected: [String: Int]) throws(RunnerFailure) {
        guard let session = currentSession else { throw RunnerFailure("infusiond is not running") }
        let pending = session.pendingReplies
        let replies = try session.collectPendingReplies()
        var outcomes: [String: Int] = [:]
        for reply in replies {
            let outcome = (reply["ok"] as? Bool ?? false) ? "ok" : (Self.errorCode(reply) ?? "unknown-error")
            outcomes[outcome, default: 0] += 1
        }
        guard outcomes == expected else {
            let lines = zip(pending, replies).map { "    \($0.connection): \($0.request)\n      -> \(Self.render($1))" }
            throw RunnerFailure("reply outcomes \(outcomes.sorted { $0.key < $1.key }) differ from the expected "
                + "\(expected.sorted { $0.key < $1.key }):\n" + lines.joined(separator: "\n"))
        }
    }

    /// Every named connection sees the same chairs (id, state, alarm conditions) in `status`.
    /// Every connection's `status` shows the same chairs. The connections are asked one after another, so a round
    /// can straddle a transition the daemon makes by itself (a stop confirmed by the pump's read-back); the
    /// views must agree in one of a few rounds within about a second, never disagree for good.
    func checkConsistency() throws(RunnerFailure) {
        var disagreement: RunnerFailure?
        for round in 0..<5 {
            if round > 0 { pass(0.2) }
            do throws(RunnerFailure) {
                try checkOneConsistencyRound()
                return
            } catch {
                disagreement = error
            }
        }
        if let disagreement { throw disagreement }
    }

    private func checkOneConsistencyRound() throws(RunnerFailure) {
        guard let session = currentSession else { throw RunnerFailure("infusiond is not running") }
        var views: [(String, String)] = []
        for name in session.connectionNames.isEmpty ? ["runner"] : session.connectionNames {
            let status = try session.request(#"{"cmd":"status"}"#, on: name)
            let chairs = (status["result"] as? [String: Any])?["chairs"] as? [[String: Any]] ?? []
            let summary = chairs.map { chair in
                let alarms = (chair["alarms"] as? [String: Any] ?? [:]).keys.sorted().joined(separator: ",")
                return "\(chair["id"] ?? "?"):\(chair["state"] ?? "?")[\(alarms)]"
            }.joined(separator: " ")
            views.append((name, summary))
        }
        guard Set(views.map(\.1)).count <= 1 else {
            throw RunnerFailure("connections disagree:\n" + views.map { "    \($0): \($1)" }.joined(separator: "\n"))
        }
    }

    func expect(_ matcher: EventMatcher, within seconds: Double) throws(RunnerFailure) {
        var scanned = currentMark
        var found = false
        pass(seconds) {
            guard let events = currentSession?.events else { return false }
            found = events[min(scanned, events.count)...].contains(where: matcher.matches)
            scanned = events.count
            return found
        }
        guard found else { throw RunnerFailure("no event '\(matcher)' within \(seconds) s") }
    }

    func expectAbsent(_ matcher: EventMatcher, for seconds: Double) throws(RunnerFailure) {
        pass(seconds)
        guard let events = currentSession?.events else { return }
        if let index = events[min(currentMark, events.count)...].firstIndex(where: matcher.matches),
            let line = currentSession?.eventLines[index]
        {
            throw RunnerFailure("an event '\(matcher)' arrived although none should: \(line)")
        }
    }

    func checkFinal(chair: String, conditions: [Condition]) throws(RunnerFailure) {
        guard let session = currentSession else { throw RunnerFailure("infusiond is not running") }
        let status = try session.status()
        let chairs = (status["result"] as? [String: Any])?["chairs"] as? [[String: Any]] ?? []
        guard let entry = chairs.first(where: { $0["id"] as? String == chair }) else {
            throw RunnerFailure("status has no chair '\(chair)': \(Self.render(status))")
        }
        let failed = conditions.filter { !$0.holds(in: entry) }
        guard failed.isEmpty else {
            throw RunnerFailure("chair \(chair) does not satisfy \(failed.map(\.description)): \(Self.render(entry))")
        }
    }

    static func errorCode(_ reply: [String: Any]) -> String? {
        (reply["error"] as? [String: Any])?["code"] as? String
    }

    static func render(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "\(object)" }
        return String(decoding: data, as: UTF8.self)
    }
}
