import Foundation
import InfusionCore
import Testing

/// Schedules per drug profile (issue 18 item 3): an observation falls due by its profile's rules, raises
/// the low `observationDue` reminder, and the reminder clears when the observation is recorded.
@Suite struct ObservationScheduleTests {
    private func reminderTransitions(_ chair: ChairHarness) -> [AlarmTransition] {
        chair.alarmEvents.filter { $0.condition == .observationDue }.map(\.transition)
    }

    @Test func anObservationDueRaisesALowReminderThatClearsWhenRecorded() {
        var chair = ChairHarness()
        chair.prepare()
        #expect(chair.command(.start)?.isSuccess == true)
        let started = chair.now
        chair.run(seconds: 599)
        #expect(chair.core.alarm(.observationDue) == nil)
        #expect(chair.core.dueObservations.isEmpty)
        chair.run(seconds: 1)
        // MOAA/S and nausea every 10 min while infusing (docs/CLINICAL-BASIS.md §8.8).
        let reminder = chair.core.alarm(.observationDue)
        #expect(reminder?.priority == .low && reminder?.condition.category == .technical && reminder?.isLatched == false)
        let due = started + .seconds(600)
        #expect(chair.core.dueObservations == [DueObservation(scale: "moaas", since: due), DueObservation(scale: "nausea", since: due)])
        // A reminder: the pump keeps running.
        #expect(chair.core.state == .infusing && chair.pumpRunning)
        chair.run(seconds: 60)
        #expect(chair.observe(["moaas": 4])?.isSuccess == true)
        #expect(chair.core.dueObservations.map(\.scale) == ["nausea"])
        #expect(chair.core.alarm(.observationDue) != nil, "nausea is still due")
        #expect(chair.observe(["nausea": 0])?.isSuccess == true)
        #expect(chair.core.alarm(.observationDue) == nil)
        #expect(reminderTransitions(chair) == [.raised, .cleared])
        // The next ones fall due 10 min after these.
        let observed = chair.now
        chair.run(seconds: 599)
        #expect(chair.core.alarm(.observationDue) == nil)
        chair.run(seconds: 1)
        #expect(chair.core.dueObservations.map(\.since) == [observed + .seconds(600), observed + .seconds(600)])
    }

    /// Status learns what is due, and what discharge still misses, from `observationStatus` events,
    /// published only when either changes.
    @Test func theObservationStatusIsPublishedOnlyWhenItChanges() {
        func statuses(_ chair: ChairHarness) -> [ObservationStatus] {
            chair.log.compactMap { if case .event(.observationStatus(let status)) = $0.output { status } else { nil } }
        }
        var chair = ChairHarness()
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 62)
        #expect(statuses(chair).isEmpty, "nothing due, no list outside recovery")
        chair.command(.recovery(aldrete: nil))
        #expect(statuses(chair).last?.missingDischargeCriteria?.map(\.word)
            == ["observationTime", "bloodPressure", "score:aldrete", "score:moaas", "score:nausea"])
        let published = statuses(chair).count
        chair.run(seconds: 60)
        #expect(statuses(chair).count == published, "the same criteria missing: nothing new")
        #expect(chair.observe(["moaas": 5])?.isSuccess == true)
        #expect(statuses(chair).count == published + 1)
        #expect(statuses(chair).last?.due == [])
        let ended = chair.core.session?.infusionEndedAt ?? .zero
        chair.run(seconds: Int((ended + .seconds(600) - chair.now).secondsDouble))
        #expect(statuses(chair).last?.due == [DueObservation(scale: "cadss6", since: ended + .seconds(600))])
        #expect(statuses(chair).last?.missingDischargeCriteria?.contains { $0.kind == .alarms } == true)
    }

    @Test func anAcknowledgedReminderStaysUntilTheObservationIsRecorded() {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 600)
        chair.command(.acknowledge(.observationDue))
        chair.run(seconds: 30)
        #expect(chair.core.alarm(.observationDue)?.isAcknowledged == true)
        #expect(chair.observe(["moaas": 5, "nausea": 0])?.isSuccess == true)
        #expect(chair.core.alarm(.observationDue) == nil)
    }

    @Test func aBaselineBeforeTheStartDoesNotCountForTheInfusion() {
        var chair = ChairHarness()
        chair.prepare()
        #expect(chair.observe(["moaas": 5, "nausea": 0])?.isSuccess == true)
        chair.run(seconds: 5)
        chair.command(.start)
        chair.run(seconds: 600)
        #expect(chair.core.dueObservations.map(\.scale) == ["moaas", "nausea"])
    }

    @Test func theEndOfTheInfusionBringsCadssOnceThenRecoveryRoundsEveryFifteenMinutes() throws {
        var chair = ChairHarness()
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 62)
        let ended = try #require(chair.core.session?.infusionEndedAt)
        #expect(chair.core.state == .complete)
        #expect(chair.core.alarm(.observationDue) == nil)
        chair.run(seconds: Int((ended + .seconds(600) - chair.now).secondsDouble))
        #expect(chair.core.dueObservations == [DueObservation(scale: "cadss6", since: ended + .seconds(600))])
        #expect(chair.observe(["cadss6": 3])?.isSuccess == true)
        #expect(chair.core.alarm(.observationDue) == nil)
        chair.run(seconds: 300)
        #expect(chair.core.dueObservations.map(\.scale) == ["moaas", "nausea"], "15 min after the end")
        #expect(chair.observe(["moaas": 5, "nausea": 0])?.isSuccess == true)
        chair.run(seconds: 900)
        #expect(chair.core.dueObservations.map(\.scale) == ["moaas", "nausea"], "15 min after the last round")
        #expect(!chair.core.dueObservations.contains { $0.scale == "cadss6" }, "CADSS-6 is due once")
    }

    @Test func aProfileWithoutScheduleNeverReminds() {
        var configuration = CoreConfiguration()
        configuration.library.profiles[0].observationSchedule = .none
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 41 * 60)
        #expect(chair.core.state == .complete)
        #expect(reminderTransitions(chair).isEmpty)
    }

    @Test func aConfiguredScheduleOverridesTheEntryFieldByField() throws {
        let json = """
            {"library": {"profiles": [{"id": "ketamine-psychiatric", "observationSchedule": {
               "rules": [{"scales": ["phq9"], "phase": "beforeInfusion", "firstAfterSeconds": 60},
                         {"scales": ["moaas"], "phase": "infusion", "everySeconds": 300}]}}]}}
            """
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        let schedule = try #require(configuration.library.profile(id: "ketamine-psychiatric")?.observationSchedule)
        #expect(schedule.rules[1].firstAfterSeconds == 300, "first due one interval in")
        #expect(schedule.dischargeScores == DrugProfile.ketaminePsychiatric.observationSchedule.dischargeScores)
        #expect(configuration.inconsistencies.isEmpty)

        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        chair.run(seconds: 60)
        #expect(chair.core.dueObservations.map(\.scale) == ["phq9"], "a baseline outcome score, 60 s after intake")
        chair.command(.start)
        #expect(chair.core.dueObservations.isEmpty, "the phase before the infusion is over")
        chair.run(seconds: 300)
        #expect(chair.core.dueObservations.map(\.scale) == ["moaas"])
    }

    @Test func aRestartKeepsTheScheduleWhereItWas() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 550)
        #expect(chair.observe(["moaas": 5, "nausea": 0])?.isSuccess == true)
        chair.run(seconds: 100)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONEncoder().encode(chair.core.checkpoint))
        var restarted = ChairHarness()
        restarted.now = chair.now + .seconds(10)
        _ = restarted.restore(checkpoint, outage: .seconds(10), deliverToPump: true)
        #expect(restarted.core.alarm(.observationDue) == nil, "observed 110 s ago, due in 490 s")
        restarted.now = restarted.now + .seconds(490)
        restarted.send(.tick)
        #expect(restarted.core.dueObservations.map(\.scale) == ["moaas", "nausea"])
    }

    /// A whole session of three hours in simulated time: a nurse who observes 30 s after each reminder, the
    /// 40-min standard infusion, recovery, discharge-ready once every criterion holds, and discharge.
    @Test func aThreeHourSessionWithANurseWhoObservesWhenReminded() {
        var chair = ChairHarness()
        chair.nibpIntervalSeconds = 300
        chair.prepare()
        chair.command(.start)
        var rounds = 0
        var recovered = false
        for _ in 0..<(3 * 3600) {
            chair.run(seconds: 1)
            if chair.core.state == .complete && !recovered {
                let aldrete = AldreteScore(activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2)
                #expect(chair.command(.recovery(aldrete: aldrete))?.isSuccess == true)
                recovered = true
            }
            let due = chair.core.dueObservations
            guard let first = due.map(\.since).min(), chair.now - first >= .seconds(30) else { continue }
            rounds += 1
            let scores = Dictionary(uniqueKeysWithValues: due.map { ($0.scale, $0.scale == "moaas" ? 5 : 0) })
            #expect(chair.observe(scores)?.isSuccess == true)
        }
        // While infusing: at 10:30, 21:00 and 31:30 (the next would fall after the 40-min end). After the end:
        // CADSS-6 at 10:30, then MOAA/S and nausea every 15:30 through the 2 h 20 min left: 9 rounds.
        #expect(rounds == 3 + 1 + 9)
        #expect(reminderTransitions(chair).filter { $0 == .raised }.count == rounds)
        #expect(chair.core.alarm(.observationDue) == nil)
        #expect(chair.core.state == .dischargeReady)
        #expect(chair.core.missingDischargeCriteria == [])
        #expect(chair.command(.discharge, by: "dr-lee")?.isSuccess == true)
    }
}
