import Foundation
import InfusionCore
import Testing

/// Units, library defaults and the lenient JSON configuration.
@Suite struct ConfigurationTests {
    @Test func doseRatesConvertBetweenUnits() {
        let weight = Kilograms(70)
        let concentration = MilligramsPerMillilitre(2)
        let rate = DoseRate(0.75, .milligramsPerKilogramPerHour)
        #expect(rate.milligramsPerHour(weight: weight, concentration: concentration) == .init(52.5))
        #expect(rate.millilitresPerHour(weight: weight, concentration: concentration) == .init(26.25))
        let back = DoseRate.from(.init(26.25), in: .milligramsPerKilogramPerHour, weight: weight, concentration: concentration)
        #expect(abs(back.value - 0.75) < 1e-12)
        #expect(DoseRate(10, .millilitresPerHour).milligramsPerHour(weight: weight, concentration: concentration) == .init(20))
        #expect(MilligramsPerHour(52.5).dose(over: .seconds(2_400)) == .init(35))
    }

    @Test func builtInProfilesCarryTheCitedDefaults() {
        let psychiatric = DrugProfile.ketaminePsychiatric
        #expect(psychiatric.rateLimits == LimitBand(softMaximum: 0.75, hardMaximum: 1.5))
        #expect(psychiatric.sessionDoseLimits == LimitBand(softMaximum: 0.75, hardMaximum: 1.0))
        #expect(psychiatric.bolusLimits == nil)
        #expect(!psychiatric.allowsKeepVeinOpen)
        let pain = DrugProfile.ketamineChronicPain
        #expect(pain.rateLimits == LimitBand(softMaximum: 1.0, hardMaximum: 2.0))
        #expect(pain.bolusLimits?.hardMaximum == 0.35)
        #expect(pain.keepVeinOpenRate == .init(0.1))
        #expect(DrugLibrary.builtIn.inconsistencies.isEmpty)
        #expect(CoreConfiguration().inconsistencies.isEmpty)
    }

    @Test func jsonOverridesOnlyWhatItNames() throws {
        let json = """
            {"library": {"version": "clinic-7", "profiles": [
               {"id": "ketamine-psychiatric", "rateLimits": {"softMaximum": 0.6}},
               {"id": "ketamine-chronic-pain", "bolusLimits": null, "keepVeinOpenRate": null}]},
             "alarms": {"audioPauseSeconds": 60, "technicalPriorities": {"pumpNearEmpty": 2}},
             "interlock": {"confirmBloodPressureBeforePause": true}}
            """
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data(json.utf8))
        let psychiatric = try #require(configuration.library.profile(id: "ketamine-psychiatric"))
        #expect(configuration.library.version == "clinic-7")
        #expect(psychiatric.rateLimits == LimitBand(softMaximum: 0.6, hardMaximum: 1.5))
        #expect(psychiatric.sessionDoseLimits == DrugProfile.ketaminePsychiatric.sessionDoseLimits)
        let pain = try #require(configuration.library.profile(id: "ketamine-chronic-pain"))
        #expect(pain.bolusLimits == nil)
        #expect(pain.keepVeinOpenRate == nil)
        #expect(pain.rateLimits == DrugProfile.ketamineChronicPain.rateLimits)
        #expect(configuration.alarms.audioPauseSeconds == 60)
        #expect(configuration.alarms.technicalPriorities[.pumpNearEmpty] == .medium)
        #expect(configuration.alarms.technicalPriorities[.pumpOcclusion] == .high)
        #expect(configuration.interlock.confirmBloodPressureBeforePause)
        #expect(configuration.interlock.rules == InterlockPolicy.defaultRules)
        #expect(configuration.vitalAlarmRules == VitalAlarmRule.defaults)
        #expect(configuration.recovery == RecoveryPolicy())
    }

    @Test func emptyConfigurationIsTheDefault() throws {
        let configuration = try JSONDecoder().decode(CoreConfiguration.self, from: Data("{}".utf8))
        #expect(configuration == CoreConfiguration())
    }

    @Test func inconsistentLimitsAreReported() {
        var profile = DrugProfile.ketaminePsychiatric
        profile.rateLimits = LimitBand(softMaximum: 2, hardMaximum: 1.5)
        profile.sessionDoseLimits.hardMaximum = nil
        let problems = DrugLibrary(version: "x", profiles: [profile, profile]).inconsistencies
        #expect(problems.contains { $0.contains("rateLimits") })
        #expect(problems.contains { $0.contains("hard maximum session dose") })
        #expect(problems.contains { $0.contains("duplicate") })
    }

    @Test func limitBandTreatsGarbageAsHardExcess() {
        let band = LimitBand(softMaximum: 0.75, hardMaximum: 1.5)
        #expect(band.classify(.nan) != .within)
        #expect(band.classify(.infinity) == .hardExceeded(side: .above, limit: 1.5))
        #expect(band.classify(1.0) == .softExceeded(side: .above, limit: 0.75))
        #expect(band.classify(0.5) == .within)
    }

    @Test func inputsAndOutputsRoundTripThroughJSON() throws {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.systolic = 185
        chair.measureBloodPressure()
        let outputs = chair.log.map(\.output)
        let decoded = try JSONDecoder().decode([CoreOutput].self, from: JSONEncoder().encode(outputs))
        #expect(decoded == outputs)
        let input = CoreInput.command(
            OperatorCommand(id: "1", operatorID: "rn", action: .titrate(rate: DoseRate(0.5, .milligramsPerKilogramPerHour), override: nil))
        )
        #expect(try JSONDecoder().decode(CoreInput.self, from: JSONEncoder().encode(input)) == input)
    }
}
