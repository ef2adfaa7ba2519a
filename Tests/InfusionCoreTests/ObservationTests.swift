import Foundation
import InfusionCore
import Testing

/// The nurse's observations (issue 18 items 1–2): the configured scales, `observe` accepted or refused as a
/// whole, the latest score per scale, its event, and its place in the checkpoint.
@Suite struct ObservationTests {
    /// A chair with a patient taken in and programmed, not yet started.
    private func programmedChair(configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare()
        return chair
    }

    private func observationEvents(_ chair: ChairHarness) -> [ObservationEvent] {
        chair.log.compactMap { if case .event(.observation(let event)) = $0.output { event } else { nil } }
    }

    @Test func theBuiltInScalesHaveTheirCitedRanges() {
        let ranges = Dictionary(uniqueKeysWithValues: ObservationScale.builtIns.map { ($0.id, $0.minimum...$0.maximum) })
        #expect(ranges == [
            "moaas": 0...5, "rass": -5...4, "nausea": 0...3, "cadss6": 0...24, "painNRS": 0...10, "phq9": 0...27,
            "qidsSR16": 0...27, "aldrete": 0...10, "padss": 0...10,
        ])
        #expect(ObservationScale.moaas.levels.count == 6)
        #expect(ObservationScale.moaas.meaning(of: 5)?.hasPrefix("alert") == true)
        #expect(ObservationScale.rass.levels.count == 10)
        #expect(ObservationScale.rass.meaning(of: -5) == "unrousable")
        #expect(ObservationScale.nausea.meaning(of: 1) == "mild")
        #expect(ObservationScale.phq9.meaning(of: 12) == "moderate")
        #expect(ObservationScale.qidsSR16.meaning(of: 5) == "no depression")
        #expect(ObservationScale.builtIns.allSatisfy { $0.levels.allSatisfy { $0.lowest <= $0.highest } })
        #expect(CoreConfiguration().observationScales == ObservationScale.builtIns)
        #expect(CoreConfiguration().inconsistencies.isEmpty)
    }

    @Test func anAcceptedObservationKeepsTheLatestScorePerScaleAndIsPublished() {
        var chair = programmedChair()
        let first = chair.now
        let request = ObservationRequest(scores: ["nausea": 1, "moaas": 5], note: "calm, a little queasy")
        #expect(chair.command(.observe(request), by: "rn-ada")?.isSuccess == true)
        chair.run(seconds: 30)
        #expect(chair.command(.observe(ObservationRequest(scores: ["nausea": 0])), by: "rn-bo")?.isSuccess == true)
        #expect(chair.core.observations["moaas"] == RecordedObservation(value: 5, time: first, operatorID: "rn-ada"))
        #expect(chair.core.observations["nausea"] == RecordedObservation(value: 0, time: chair.now, operatorID: "rn-bo"))
        let events = observationEvents(chair)
        #expect(events.count == 2)
        #expect(events.first?.scores == [ObservationScore(scale: "moaas", value: 5), ObservationScore(scale: "nausea", value: 1)])
        #expect(events.first?.note == "calm, a little queasy" && events.first?.operatorID == "rn-ada")
        #expect(events.first?.time == first)
        #expect(events.last?.note == nil)
    }

    @Test func anUnknownScaleIsRefusedAndNothingIsRecorded() {
        var chair = programmedChair()
        let result = chair.command(.observe(ObservationRequest(scores: ["moaas": 5, "sedation": 2])))
        #expect(result?.error?.code == "unknown-scale")
        #expect(result?.error?.message.contains("sedation") == true)
        #expect(chair.core.observations.isEmpty, "the valid MOAA/S of the same request is not kept either")
        #expect(observationEvents(chair).isEmpty)
    }

    @Test func aScoreOutsideItsScaleIsRefusedAndNothingIsRecorded() {
        var chair = programmedChair()
        for scores in [["moaas": 6], ["rass": -6], ["nausea": 1, "cadss6": 25], ["painNRS": -1]] {
            let result = chair.command(.observe(ObservationRequest(scores: scores)))
            #expect(result?.error?.code == "score-out-of-range", "\(scores)")
        }
        #expect(chair.core.observations.isEmpty)
        #expect(observationEvents(chair).isEmpty)
        // The ends of each range are scores.
        #expect(chair.command(.observe(ObservationRequest(scores: ["rass": -5, "moaas": 0, "cadss6": 24])))?.isSuccess == true)
    }

    @Test func observingNeedsAPatientAndAScore() {
        var idle = ChairHarness()
        #expect(idle.command(.observe(ObservationRequest(scores: ["moaas": 5])))?.error?.code == "wrong-state")
        var chair = programmedChair()
        #expect(chair.command(.observe(ObservationRequest(scores: [:])))?.error?.code == "invalid-argument")
        #expect(OperatorAction.observe(ObservationRequest(scores: [:])).name == "observe")
    }

    @Test func theRecoveryAldreteScoreIsTheAldreteScalesLatest() {
        var chair = ChairHarness()
        chair.prepare(program: ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.0125), durationMinutes: 1))
        chair.command(.start)
        chair.run(seconds: 62)
        let score = AldreteScore(activity: 2, respiration: 2, circulation: 2, consciousness: 1, oxygenSaturation: 2)
        #expect(chair.command(.recovery(aldrete: score), by: "rn-ada")?.isSuccess == true)
        #expect(chair.core.observations["aldrete"] == RecordedObservation(value: 9, time: chair.now, operatorID: "rn-ada"))
        #expect(observationEvents(chair).last?.scores == [ObservationScore(scale: "aldrete", value: 9)])
        #expect(chair.command(.observe(ObservationRequest(scores: ["aldrete": 10])))?.isSuccess == true)
        #expect(chair.core.observations["aldrete"]?.value == 10)
    }

    @Test func configuredScalesOverrideBuiltInsFieldByFieldAndAddTheClinicsOwn() throws {
        let json = """
            {"observationScales": [
               {"id": "nausea", "name": "Nausea (clinic wording)"},
               {"id": "nauseaNRS", "name": "Nausea NRS", "minimum": 0, "maximum": 10,
                "levels": [{"value": 0, "meaning": "none"}, {"from": 7, "to": 10, "meaning": "severe"}]}]}
            """
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.observationScales.map(\.id) == ObservationScale.builtIns.map(\.id) + ["nauseaNRS"])
        let nausea = try #require(configuration.observationScales.first { $0.id == "nausea" })
        #expect(nausea.name == "Nausea (clinic wording)")
        #expect(nausea.maximum == 3 && nausea.levels == ObservationScale.nausea.levels)
        let nrs = try #require(configuration.observationScales.last)
        #expect(nrs.meaning(of: 8) == "severe")
        #expect(configuration.inconsistencies.isEmpty)
        // The printed configuration reads back the same.
        let printed = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(CoreConfiguration.self, from: printed) == configuration)
        // A clinic's own scale must give its range.
        let rangeless = #"{"observationScales": [{"id": "anxiety"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CoreConfiguration.self, from: Data(rangeless.utf8)) }
    }

    @Test func inconsistentScalesAndSchedulesAreReported() {
        var configuration = CoreConfiguration()
        configuration.observationScales.append(ObservationScale(id: "moaas", name: "again", minimum: 0, maximum: 5))
        configuration.observationScales.append(ObservationScale(id: "upsideDown", name: "x", minimum: 3, maximum: 1))
        configuration.library.profiles[0].observationSchedule.rules.append(
            ObservationRule(scales: ["sedation"], phase: .infusion, firstAfterSeconds: -1, everySeconds: 0))
        configuration.library.profiles[0].observationSchedule.dischargeScores.append(DischargeScore(scale: "moaas", minimum: 7))
        let problems = configuration.inconsistencies
        #expect(problems.contains { $0.contains("duplicate observation scale id moaas") })
        #expect(problems.contains { $0.contains("upsideDown") })
        #expect(problems.contains { $0.contains("no observation scale sedation") })
        #expect(problems.contains { $0.contains("firstAfterSeconds") })
        #expect(problems.contains { $0.contains("everySeconds") })
        #expect(problems.contains { $0.contains("bound 7") })
    }

    @Test func observationsSurviveTheCheckpointAndARestart() throws {
        var chair = programmedChair()
        chair.command(.start)
        chair.run(seconds: 120)
        #expect(chair.command(.observe(ObservationRequest(scores: ["moaas": 4, "nausea": 2])))?.isSuccess == true)
        let stored = try JSONEncoder().encode(chair.core.checkpoint)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: stored)
        #expect(checkpoint.session?.observations == chair.core.observations)
        #expect(checkpoint.session?.profile.observationSchedule == DrugProfile.ketaminePsychiatric.observationSchedule)
        // After a reboot the clock starts again elsewhere: the observation's instant moves with it.
        let shifted = checkpoint.shifted(by: .seconds(-60))
        #expect(shifted.session?.observations["moaas"]?.time == chair.now + .seconds(-60))

        var restarted = ChairHarness()
        restarted.now = chair.now + .seconds(30)
        _ = restarted.restore(checkpoint, outage: .seconds(30), deliverToPump: true)
        #expect(restarted.core.observations["moaas"]?.value == 4)
        #expect(restarted.core.observations["nausea"]?.value == 2)
    }

    /// A checkpoint written before observations and schedules (those keys absent) still reads: no
    /// observation yet, and the session's profile takes its built-in entry's schedule.
    @Test func aCheckpointFromBeforeObservationsStillReads() throws {
        var chair = programmedChair()
        chair.command(.start)
        chair.run(seconds: 60)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(chair.core.checkpoint)) as? [String: Any])
        var session = try #require(json["session"] as? [String: Any])
        session["observations"] = nil
        var profile = try #require(session["profile"] as? [String: Any])
        profile["observationSchedule"] = nil
        session["profile"] = profile
        json["session"] = session
        let old = try JSONSerialization.data(withJSONObject: json)
        let checkpoint = try JSONDecoder().decode(ChairCheckpoint.self, from: old)
        #expect(checkpoint.session?.observations.isEmpty == true)
        #expect(checkpoint.session?.profile.observationSchedule == DrugProfile.ketaminePsychiatric.observationSchedule)
        #expect(checkpoint.deliveredDose == chair.core.deliveredDose)
    }
}
