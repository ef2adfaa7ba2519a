import Foundation
import InfusionCore
import Testing

/// Discharge readiness from the profile's criteria (issue 18 item 3): what is still missing is listed, a
/// `discharge` in recovery is refused with that list, and only observations since the end count.
@Suite struct DischargeCriteriaTests {
    private static let fullAldrete = AldreteScore(
        activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2)

    /// A short infusion (0.0125 mg/kg over 1 min) that is over, in recovery with cuff pressures every 2 min
    /// and a 10-min minimum observation.
    private func inRecovery(aldrete: AldreteScore? = nil) -> ChairHarness {
        var configuration = CoreConfiguration()
        configuration.recovery.minimumObservationSeconds = 600
        var chair = ChairHarness(configuration: configuration)
        chair.nibpIntervalSeconds = 120
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 62)
        #expect(chair.command(.recovery(aldrete: aldrete))?.isSuccess == true)
        #expect(chair.core.state == .recovery)
        return chair
    }

    private func words(_ chair: ChairHarness) -> [String] { chair.core.missingDischargeCriteria?.map(\.word) ?? [] }

    @Test func recoveryListsEveryCriterionNotYetMet() {
        let chair = inRecovery()
        #expect(words(chair) == ["observationTime", "bloodPressure", "score:aldrete", "score:moaas", "score:nausea"])
        let messages = chair.core.missingDischargeCriteria?.map(\.message) ?? []
        #expect(messages.contains { $0.contains("of the 10 min required") })
        #expect(messages.contains("no moaas score since the infusion ended; discharge needs at least 5"))
        #expect(messages.contains("no nausea score since the infusion ended; discharge needs at most 1"))
        #expect(messages.contains("no aldrete score since the infusion ended; discharge needs at least 9"))
    }

    @Test func dischargeInRecoveryIsRefusedWithWhatIsMissing() {
        var chair = inRecovery(aldrete: Self.fullAldrete)
        #expect(chair.observe(["moaas": 4, "nausea": 0])?.isSuccess == true)
        let refusal = chair.command(.discharge)?.error
        #expect(refusal?.code == "discharge-criteria-missing")
        #expect(refusal?.details == ["observationTime", "bloodPressure", "score:moaas"])
        #expect(refusal?.message.contains("moaas is 4; discharge needs at least 5") == true)
        #expect(chair.core.state == .recovery)
        #expect(chair.core.session?.dischargedBy == nil)
    }

    @Test func eachCriterionMetLeavesTheListUntilTheChairIsReady() {
        var chair = inRecovery(aldrete: Self.fullAldrete)
        chair.run(seconds: 4 * 60)
        #expect(words(chair) == ["observationTime", "score:moaas", "score:nausea"], "two cuff pressures back at baseline")
        #expect(chair.observe(["moaas": 5, "nausea": 1])?.isSuccess == true)
        #expect(words(chair) == ["observationTime"])
        chair.run(seconds: 5 * 60)
        #expect(chair.core.state == .recovery)
        // CADSS-6 fell due 10 min after the end: the reminder is an alarm, and holds readiness.
        chair.run(seconds: 60)
        #expect(words(chair) == ["alarms"])
        #expect(chair.core.missingDischargeCriteria?.first?.message == "alarms active or latched: observationDue")
        #expect(chair.observe(["cadss6": 2])?.isSuccess == true)
        #expect(chair.core.state == .dischargeReady)
        #expect(chair.core.missingDischargeCriteria == [])
        // Nausea worse again withdraws readiness.
        #expect(chair.observe(["nausea": 2])?.isSuccess == true)
        #expect(chair.core.state == .recovery)
        #expect(words(chair) == ["score:nausea"])
        #expect(chair.command(.discharge)?.error?.details == ["score:nausea"])
        #expect(chair.observe(["nausea": 0])?.isSuccess == true)
        #expect(chair.core.state == .dischargeReady)
        #expect(chair.command(.discharge, by: "dr-lee")?.isSuccess == true)
        #expect(chair.core.missingDischargeCriteria == nil)
    }

    @Test func observationsBeforeTheEndDoNotCount() {
        var configuration = CoreConfiguration()
        configuration.recovery.minimumObservationSeconds = 60
        var chair = ChairHarness(configuration: configuration)
        chair.nibpIntervalSeconds = 30
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 30)
        #expect(chair.observe(["moaas": 5, "nausea": 0, "aldrete": 10])?.isSuccess == true)
        chair.run(seconds: 32)
        #expect(chair.command(.recovery(aldrete: nil))?.isSuccess == true)
        chair.run(seconds: 120)
        #expect(words(chair) == ["score:aldrete", "score:moaas", "score:nausea"])
        #expect(chair.observe(["moaas": 5, "nausea": 0, "aldrete": 9])?.isSuccess == true)
        #expect(chair.core.state == .dischargeReady)
    }

    @Test func theProfilesDischargeScoresAreConfigurable() throws {
        let json = """
            {"recovery": {"minimumObservationSeconds": 60},
             "library": {"profiles": [{"id": "ketamine-psychiatric",
               "observationSchedule": {"dischargeScores": [{"scale": "padss", "minimum": 9}]}}]}}
            """
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.inconsistencies.isEmpty)
        var chair = ChairHarness(configuration: configuration)
        chair.nibpIntervalSeconds = 30
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 62)
        chair.command(.recovery(aldrete: Self.fullAldrete))
        chair.run(seconds: 120)
        #expect(words(chair) == ["score:padss"])
        #expect(chair.observe(["padss": 8])?.isSuccess == true)
        #expect(chair.core.missingDischargeCriteria?.first?.message == "padss is 8; discharge needs at least 9")
        #expect(chair.observe(["padss": 9])?.isSuccess == true)
        #expect(chair.core.state == .dischargeReady)
    }

    @Test func outsideRecoveryThereIsNoList() {
        var chair = ChairHarness()
        #expect(chair.core.missingDischargeCriteria == nil)
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 10)
        #expect(chair.core.missingDischargeCriteria == nil)
        #expect(chair.command(.discharge)?.error?.code == "wrong-state")
    }

    /// A checkpoint written before observations kept the Aldrete score only as `recovery` recorded it after
    /// the end: it still counts.
    @Test func anOldCheckpointsAldreteStillCounts() throws {
        var chair = inRecovery(aldrete: Self.fullAldrete)
        chair.run(seconds: 4 * 60)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(chair.core.checkpoint)) as? [String: Any])
        var session = try #require(json["session"] as? [String: Any])
        session["observations"] = nil
        json["session"] = session
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: JSONSerialization.data(withJSONObject: json))
        var restarted = ChairHarness(configuration: chair.core.configuration)
        restarted.now = chair.now + .seconds(5)
        _ = restarted.restore(checkpoint, outage: .seconds(5), deliverToPump: true)
        #expect(!(restarted.core.missingDischargeCriteria ?? []).contains { $0.scale == "aldrete" })
        #expect(restarted.core.missingDischargeCriteria?.contains { $0.scale == "moaas" } == true)
    }
}
