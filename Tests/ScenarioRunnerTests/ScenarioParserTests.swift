import Testing
@testable import ScenarioRunner

@Suite struct ScenarioParserTests {
    @Test func readsDeclarationsAndSteps() throws {
        let scenario = try ScenarioParser.parse("""
            title Example
            # a comment
            chair 1 pump=newera monitor=intellivue preset=hypertensive patient-speed=40 cuff-every=5 follow=off
            config {"core":{}}
            start-daemon
            send nurse {"cmd":"start","chair":"1"} => error alarm-active
            send-until 30 nurse {"cmd":"resume","chair":"1"} => ok state=infusing
            expect 10 alarm.raised|alarm.escalated chair=1 priority=high
            collect ok=1 wrong-state=1
            unplug 1 monitor
            """)
        #expect(scenario.title == "Example")
        #expect(scenario.chairs.count == 1)
        let chair = try #require(scenario.chairs.first)
        #expect(chair.preset == "hypertensive" && chair.patientSpeed == 40 && chair.cuffIntervalSeconds == 5 && !chair.followsPump)
        #expect(scenario.configurationPatches == [#"{"core":{}}"#])
        #expect(scenario.steps.map(\.line) == [5, 6, 7, 8, 9, 10])
        guard case .send(let connection, let request, .error("alarm-active")) = scenario.steps[1].action else {
            Issue.record("not a send expecting an error: \(scenario.steps[1].action)")
            return
        }
        #expect(connection == "nurse" && request == #"{"cmd":"start","chair":"1"}"#)
        guard case .collect(let outcomes) = scenario.steps[4].action else {
            Issue.record("not a collect")
            return
        }
        #expect(outcomes == ["ok": 1, "wrong-state": 1])
    }

    @Test(arguments: [
        ("wait soon", "line 1: expected a number of seconds, got 'soon'"),
        ("launch rockets", "line 1: unknown statement 'launch'"),
        ("chair 1 pump=newera", "line 1: usage: chair ID pump=FAMILY monitor=FAMILY [options]"),
        ("chair 1 pump=newera monitor=masimo speed=3", "line 1: unknown chair option 'speed'"),
        ("expect 5 vital value", "line 1: 'value' is not key=value"),
        ("send nurse {} => maybe", "line 1: a reply is expected as 'ok [key=value ...]', 'error CODE' or 'any'"),
    ])
    func refusesMalformedLines(_ text: String, _ message: String) {
        #expect(throws: ScenarioSyntaxError.self) { try ScenarioParser.parse(text) }
        do {
            _ = try ScenarioParser.parse(text)
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test func refusesDuplicateChairs() {
        #expect(throws: ScenarioSyntaxError.self) {
            try ScenarioParser.parse("chair 1 pump=newera monitor=masimo\nchair 1 pump=harvard monitor=nonin")
        }
    }
}

@Suite struct ConditionTests {
    let event: [String: Any] = [
        "event": "interlock",
        "data": ["chair": "1", "detail": ["kind": "paused", "causes": ["systolicHigh", "heartRateHigh"], "rate": 5.25]],
    ]

    @Test func matchesDetailThenData() throws {
        let matcher = EventMatcher(event: "interlock", conditions: try ["chair=1", "kind=paused", "causes=heartRateHigh"].map(parse))
        #expect(matcher.matches(event))
        #expect(!EventMatcher(event: "interlock", conditions: [try parse("chair=2")]).matches(event))
        #expect(!EventMatcher(event: "alarm.raised", conditions: []).matches(event))
        #expect(EventMatcher(event: "alarm.raised|interlock", conditions: []).matches(event))
    }

    @Test func comparesNumbersListsAndMissingKeys() throws {
        let detail = try #require((event["data"] as? [String: Any])?["detail"] as? [String: Any])
        #expect(try parse("rate=5.25").holds(in: detail))
        #expect(try parse("rate<6").holds(in: detail))
        #expect(try parse("rate>=5.25").holds(in: detail))
        #expect(!(try parse("rate>5.25").holds(in: detail)))
        #expect(try parse("causes!=spo2Low").holds(in: detail))
        #expect(!(try parse("causes!=systolicHigh").holds(in: detail)))
        #expect(try parse("missing!=x").holds(in: detail))
        #expect(!(try parse("missing=x").holds(in: detail)))
    }

    private func parse(_ text: String) throws -> Condition {
        try #require(Condition(parsing: Substring(text)))
    }
}
