@testable import InfusionDashboard
import Testing
import WireProtocol

/// `infusionctl course`'s table, fed the daemon's own reply line (docs/PROTOCOL.md "course").
struct CourseTableTests {
    private static let reply = #"""
        {"reply":"course","ok":true,"result":{"patientID":"P-17","outcomeScales":["phq9","qidsSR16","painNRS"],"sessions":[
         {"sessionID":"1-12","chair":"1","takenInAt":"2026-12-01T08:50:00.000Z","startedAt":"2026-12-01T09:00:00.000Z",
          "endedAt":"2026-12-01T09:40:00.000Z","durationMinutes":40,"outcome":"completed","profileID":"ketamine-psychiatric",
          "weightKilograms":70,"deliveredMilligrams":35,"deliveredMilligramsPerKilogram":0.5,"peakSystolic":148,
          "peakHeartRate":96,"lowestSpO2":95,"alarmCount":1,
          "observations":[{"scale":"moaas","lowest":3,"highest":5,"count":4},{"scale":"phq9","lowest":18,"highest":18,"count":1}],
          "outcomes":[{"scale":"phq9","value":18}],"seriesNumber":1},
         {"sessionID":"2-80","chair":"2","takenInAt":"2026-12-03T08:55:00.000Z","startedAt":"2026-12-03T09:05:00.000Z",
          "outcome":"stopped","profileID":"ketamine-psychiatric","weightKilograms":70.5,"deliveredMilligrams":20.25,
          "deliveredMilligramsPerKilogram":0.287,"alarmCount":0,"observations":[],"outcomes":[{"scale":"phq9","value":12}],
          "seriesNumber":2,"daysSincePrevious":2.0035},
         {"sessionID":"1-140","chair":"1","takenInAt":"2026-12-05T09:00:00.000Z","outcome":"not-done",
          "profileID":"ketamine-psychiatric","weightKilograms":71,"deliveredMilligrams":0,"deliveredMilligramsPerKilogram":0,
          "alarmCount":0,"observations":[],"outcomes":[{"scale":"phq9","value":7}]}]}}
        """#.split(separator: "\n").joined()

    private func course() throws -> PatientCourse {
        let message = try IncomingMessage.parse(line: Array(Self.reply.utf8))
        guard case .reply(_, _, true, let result?, _) = message else { throw Unexpected() }
        return try LineCoding.convert(result, to: PatientCourse.self)
    }

    private struct Unexpected: Error {}

    @Test func eachSessionIsARowInColumns() throws {
        let lines = CourseTable.render(try course())
        #expect(lines[0] == "patient P-17: 3 sessions")
        let header = lines[1]
        #expect(header.hasPrefix("#  date (UTC)        chair  profile"))
        // The columns line up: every value starts where its header does.
        let column = header.distance(from: header.startIndex, to: try #require(header.firstRange(of: "SBP max")).lowerBound)
        #expect(lines[2].dropFirst(column).hasPrefix("148"))
        #expect(lines[3].dropFirst(column).hasPrefix("-"))
        #expect(lines[2].hasPrefix("1  2026-12-01 09:00  1      ketamine-psychiatric  70.0  35.0  0.50   40"))
        #expect(lines[2].contains("moaas 3-5, phq9 18") && lines[2].hasSuffix("phq9 18"))
        #expect(lines[3].hasPrefix("2  2026-12-03 09:05  2") && lines[3].contains("20.3  0.29"))
        // A session that never started has no place in the series and shows its intake time.
        #expect(lines[4].hasPrefix("-  2026-12-05 09:00  1") && lines[4].contains("not-done"))
    }

    @Test func theOutcomeScoresTrendAcrossSessions() throws {
        let lines = CourseTable.render(try course())
        #expect(Array(lines.suffix(3)) == ["", "outcome trend (oldest to newest):", "  phq9  18 12 7  █▄▁"])
    }

    @Test func aPatientWithoutSessionsSaysSo() {
        let empty = PatientCourse(patientID: "P-99", outcomeScales: ["phq9"], sessions: [])
        #expect(CourseTable.render(empty) == ["patient P-99: no sessions in the audit log"])
    }
}
