import ClinicalExports
import Foundation
import InfusionCore
import PropertyBased
import Testing

/// Whatever text the records hold, the exports keep their structure and give the text back.
@Suite struct ExportPropertyTests {
    /// Letters plus every character HL7 or CSV gives a meaning to, and a few beyond ASCII.
    static let awkward = Gen.element(of: Array("aZ09 |^~\\&,\"\r\n\té€😀")).compactMap { $0 }.string(of: 0...24)

    @Test func hl7StructureSurvivesAnyFreeText() async {
        // Same records but for the text: same segments, and the same number of fields in each.
        let baseline = HL7Exporter().observationMessages(for: ExportFixtures.session)
            .map { ParsedHL7($0).segments.map { [$0[0], "\($0.count)"] } }
        await propertyCheck(count: 300, input: Self.awkward, Self.awkward) { patient, chair in
            var records = ExportFixtures.session
            records.patient.id = patient
            records.chairID = chair
            let messages = HL7Exporter().observationMessages(for: records).map(ParsedHL7.init)
            #expect(messages.map { $0.segments.map { [$0[0], "\($0.count)"] } } == baseline)
            for message in messages {
                let pid = ParsedHL7.field(message.segments[1], 3).split(
                    separator: "^", omittingEmptySubsequences: false)
                #expect(pid.first.map { Self.unescape(String($0)) } == patient)
                let room = ParsedHL7.field(message.segments[2], 3).split(
                    separator: "^", omittingEmptySubsequences: false)
                #expect(room.count == 2 ? Self.unescape(String(room[1])) == chair : chair.isEmpty)
            }
        }
    }

    @Test func csvFieldsSurviveAnyReason() async {
        await propertyCheck(count: 300, input: Self.awkward) { reason in
            var records = ExportFixtures.session
            records.entries = [
                .rateChange(
                    RateChangeEntry(
                        time: ExportFixtures.at(seconds: 0), flow: MillilitresPerHour(1),
                        doseRate: DoseRate(1, .millilitresPerHour), actor: nil, reason: reason))
            ]
            let rows = Self.readCSV(SessionReport(records).csv())
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.count == SessionReport.csvColumns.count })
            #expect(rows.last?[9] == reason)
        }
    }

    @Test func instantsAgreeWithFoundationsISO8601() async {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        await propertyCheck(count: 2000, input: Gen.int64(in: -2_208_988_800_000...4_102_444_800_000)) { milliseconds in
            let text = UTCInstant(millisecondsSinceEpoch: milliseconds).iso8601
            let date = formatter.date(from: text)
            #expect(date.map { ($0.timeIntervalSince1970 * 1000).rounded() } == Double(milliseconds), "\(text)")
        }
    }

    /// HL7 escape sequences back to text (the five delimiters and \Xhh\), as a receiver reads them.
    static func unescape(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(of: "\\") {
            result += rest[..<start]
            let afterStart = rest.index(after: start)
            guard let end = rest[afterStart...].firstIndex(of: "\\") else { return result + rest[start...] }
            let code = rest[afterStart..<end]
            switch code {
            case "F": result += "|"
            case "S": result += "^"
            case "R": result += "~"
            case "E": result += "\\"
            case "T": result += "&"
            default:
                if code.first == "X", let byte = UInt8(code.dropFirst(), radix: 16) {
                    result.unicodeScalars.append(UnicodeScalar(byte))
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// An RFC 4180 reader: records end with CRLF outside quotes; "" inside quotes is one quote.
    static func readCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        return rows
    }
}
