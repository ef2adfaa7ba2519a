import Foundation
import InfusionCore
import Testing

/// Issue 18 item 4: the profile's cross-session limits, checked at intake against the patient's history as the
/// shell hands it in (wall-clock seconds, injected; docs/CLINICAL-BASIS.md §8.9).
@Suite struct SeriesLimitTests {
    /// 2026-12-07T09:00:00Z, the intake's wall-clock time in these tests.
    private static let now = 1_796_634_000.0
    private static let hour = 3_600.0
    private static let day = 86_400.0

    private static func history(startedHoursAgo hours: [Double], weight: Double = 70) -> PatientHistory {
        PatientHistory(
            asOf: now,
            sessions: hours.map { PastSession(startedAt: now - $0 * hour, weight: Kilograms(weight), profileID: "ketamine-psychiatric") })
    }

    private static func intake(weight: Double = 70, history: PatientHistory?, reason: String? = nil) -> IntakeRequest {
        var request = ChairHarness.intake(weight: weight)
        request.override = reason.map(LimitOverride.init(reason:))
        request.history = history
        return request
    }

    @Test func theBuiltInEntriesCarryTheCitedSeriesDefaults() {
        let limits = DrugProfile.ketaminePsychiatric.seriesLimits
        #expect(limits.intervalHours == LimitBand(hardMinimum: 12, softMinimum: 40))
        #expect(limits.sessionsInWindow == LimitBand(softMaximum: 6) && limits.windowDays == 21)
        #expect(limits.weightChangeFraction == LimitBand(softMaximum: 0.1))
        #expect(DrugProfile.ketaminePsychiatric.inconsistencies.isEmpty)
    }

    @Test func aFirstSessionAndAThreeTimesAWeekSeriesPassWithoutAPrompt() {
        var chair = ChairHarness()
        #expect(chair.command(.intake(Self.intake(history: Self.history(startedHoursAgo: []))))?.isSuccess == true)
        var next = ChairHarness()
        // Monday, Wednesday, and now Friday morning after a Wednesday afternoon: 44 h.
        let series = Self.history(startedHoursAgo: [44, 92])
        #expect(next.command(.intake(Self.intake(history: series)))?.isSuccess == true)
        #expect(next.limitEvents.isEmpty)
    }

    @Test func aSessionTooSoonNeedsAReasonAndSaysWhenTheNextIsAllowed() throws {
        var chair = ChairHarness()
        let yesterday = Self.history(startedHoursAgo: [26])
        let refused = try #require(chair.command(.intake(Self.intake(history: yesterday)))?.error)
        #expect(refused.code == "series-soft-limit-needs-override")
        #expect(refused.details == ["sessionInterval", "nextAllowedInHours:14"])
        #expect(refused.message.contains("26 h ago") && refused.message.contains("40 h"))
        #expect(chair.core.session == nil)
        let event = try #require(chair.limitEvents.last)
        #expect(event.kind == .sessionInterval && event.outcome == .softRefused && event.side == .below)
        #expect(abs(event.requested - 26) < 1e-9 && event.limit == 40)

        let blank = try #require(chair.command(.intake(Self.intake(history: yesterday, reason: " ")))?.error)
        #expect(blank.code == "override-reason-missing")

        #expect(chair.command(.intake(Self.intake(history: yesterday, reason: "prescriber: rescue dose")))?.isSuccess == true)
        let accepted = try #require(chair.limitEvents.last)
        #expect(accepted.outcome == .softOverridden && accepted.reason == "prescriber: rescue dose")
        #expect(chair.core.session?.intake.patientID == "MRN-0042")
    }

    @Test func theHardIntervalNeverYields() throws {
        var chair = ChairHarness()
        let thisMorning = Self.history(startedHoursAgo: [3])
        for reason in [nil, "prescriber insists"] {
            let refused = try #require(chair.command(.intake(Self.intake(history: thisMorning, reason: reason)))?.error)
            #expect(refused.code == "series-hard-limit")
            #expect(refused.details == ["sessionInterval", "nextAllowedInHours:9"])
            #expect(chair.limitEvents.last?.outcome == .hardRefused && chair.limitEvents.last?.limit == 12)
        }
        #expect(chair.core.session == nil)
    }

    @Test func aSeventhSessionInTheWindowPromptsUntilTheOldestLeavesIt() throws {
        var chair = ChairHarness()
        // Six infusions in the last 20 days, every 4 days: the oldest (480 h ago) leaves the 21-day window in 24 h,
        // when this one would be the sixth.
        let induction = Self.history(startedHoursAgo: [48, 144, 240, 336, 432, 480])
        let refused = try #require(chair.command(.intake(Self.intake(history: induction)))?.error)
        #expect(refused.code == "series-soft-limit-needs-override")
        #expect(refused.details == ["sessionsInWindow", "nextAllowedInHours:24"])
        #expect(chair.limitEvents.last?.kind == .sessionsInWindow && chair.limitEvents.last?.requested == 7)
        // A session outside the window does not count.
        let older = Self.history(startedHoursAgo: [48, 144, 240, 336, 432, 21 * 24 + 1])
        var later = ChairHarness()
        #expect(later.command(.intake(Self.intake(history: older)))?.isSuccess == true)
    }

    @Test func aHardWindowLimitAsConfiguredNeverYields() throws {
        var profile = DrugProfile.ketaminePsychiatric
        profile.seriesLimits.sessionsInWindow = LimitBand(softMaximum: 2, hardMaximum: 3)
        profile.seriesLimits.windowDays = 7
        var chair = ChairHarness(configuration: CoreConfiguration(library: DrugLibrary(version: "t", profiles: [profile])))
        // Four in 7 days with this one, past the hard 3: the hard refusal comes first, so the soft 40-h interval is
        // not reported. Two may stay; the third newest (96 h ago) leaves the window in 168 − 96 = 72 h.
        let history = Self.history(startedHoursAgo: [24, 48, 96])
        let refused = try #require(chair.command(.intake(Self.intake(history: history, reason: "protocol")))?.error)
        #expect(refused.code == "series-hard-limit")
        #expect(refused.details == ["sessionsInWindow", "nextAllowedInHours:72"])
        #expect(chair.limitEvents.last?.outcome == .hardRefused && chair.core.session == nil)
    }

    @Test func aChangedWeightAsksForConfirmation() throws {
        var chair = ChairHarness()
        let lastWeek = Self.history(startedHoursAgo: [7 * 24], weight: 70)
        // 78 kg against 70 kg: 11.4 %, past the 10 % soft limit; waiting does not help, so no next time.
        let refused = try #require(chair.command(.intake(Self.intake(weight: 78, history: lastWeek)))?.error)
        #expect(refused.code == "weight-change-needs-confirmation")
        #expect(refused.details == ["weightChange"])
        #expect(refused.message.contains("11.4 %"))
        // Within 10 % passes.
        #expect(chair.command(.intake(Self.intake(weight: 76, history: lastWeek)))?.isSuccess == true)
        var confirmed = ChairHarness()
        #expect(confirmed.command(.intake(Self.intake(weight: 78, history: lastWeek, reason: "weighed twice")))?.isSuccess == true)
        #expect(confirmed.limitEvents.last?.kind == .weightChange && confirmed.limitEvents.last?.outcome == .softOverridden)
    }

    @Test func oneRefusalNamesEverySeriesLimitToConfirm() throws {
        var chair = ChairHarness()
        let yesterday = Self.history(startedHoursAgo: [20], weight: 70)
        let refused = try #require(chair.command(.intake(Self.intake(weight: 80, history: yesterday)))?.error)
        #expect(refused.code == "series-soft-limit-needs-override")
        #expect(refused.details == ["sessionInterval", "weightChange", "nextAllowedInHours:20"])
        #expect(chair.command(.intake(Self.intake(weight: 80, history: yesterday, reason: "booster per plan")))?.isSuccess == true)
        #expect(chair.limitEvents.suffix(2).allSatisfy { $0.outcome == .softOverridden })
    }

    @Test func withoutAHistoryTheSeriesIsNotChecked() {
        var chair = ChairHarness()
        #expect(chair.command(.intake(Self.intake(history: nil)))?.isSuccess == true)
        #expect(chair.limitEvents.isEmpty)
    }

    @Test func theHistoryIsNeverReadFromTheRequest() throws {
        let line = #"{"patientID":"P","weight":70,"weightUnit":"kg","weightBasis":"measured","#
            + #""profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"dr-lee","#
            + #""history":{"asOf":0,"sessions":[]}}"#
        let intake = try JSONDecoder().decode(IntakeRequest.self, from: Data(line.utf8))
        #expect(intake.history == nil)
        var withHistory = intake
        withHistory.history = Self.history(startedHoursAgo: [1])
        let encoded = String(decoding: try JSONEncoder().encode(withHistory), as: UTF8.self)
        #expect(!encoded.contains("history"))
    }

    @Test func configurationOverridesOneBoundAndKeepsTheRest() throws {
        let json = #"{"id":"ketamine-psychiatric","seriesLimits":{"intervalHours":{"softMinimum":60},"windowDays":28}}"#
        let profile = try JSONDecoder().decode(DrugProfile.self, from: Data(json.utf8))
        #expect(profile.seriesLimits.intervalHours == LimitBand(hardMinimum: 12, softMinimum: 60))
        #expect(profile.seriesLimits.windowDays == 28 && profile.seriesLimits.sessionsInWindow == LimitBand(softMaximum: 6))
        let removed = #"{"id":"ketamine-psychiatric","seriesLimits":{"intervalHours":{"hardMinimum":null}}}"#
        #expect(try JSONDecoder().decode(DrugProfile.self, from: Data(removed.utf8)).seriesLimits.intervalHours
            == LimitBand(softMinimum: 40))
        // A stored profile reads back the same.
        let stored = try JSONDecoder().decode(DrugProfile.self, from: JSONEncoder().encode(profile))
        #expect(stored == profile)
        var broken = profile
        broken.seriesLimits.windowDays = 0
        #expect(broken.inconsistencies.contains { $0.contains("windowDays") })
    }
}
