import Testing

@testable import ClinicalExports

@Suite struct TextFormattingTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z", "19700101000000.000+0000"),
        (Int64(1_709_210_096_789), "2024-02-29T12:34:56.789Z", "20240229123456.789+0000"),
        (Int64(-1), "1969-12-31T23:59:59.999Z", "19691231235959.999+0000"),
        (Int64(-2_203_891_200_000), "1900-03-01T00:00:00.000Z", "19000301000000.000+0000"),
        (Int64(1_773_478_800_000), "2026-03-14T09:00:00.000Z", "20260314090000.000+0000"),
    ])
    func instantsPrintAsCalendarTimeInUTC(milliseconds: Int64, iso: String, hl7: String) {
        let instant = UTCInstant(millisecondsSinceEpoch: milliseconds)
        #expect(instant.iso8601 == iso)
        #expect(instant.hl7 == hl7)
    }

    @Test func decimalsPrintWithoutExponentOrTrailingZeros() {
        #expect(DecimalText.format(72.0) == "72")
        #expect(DecimalText.format(17.5) == "17.5")
        #expect(DecimalText.format(0.00001) == "0")
        #expect(DecimalText.format(0.00005) == "0.0001")
        #expect(DecimalText.format(-0.0) == "0")
        #expect(DecimalText.format(-2.25) == "-2.25")
        #expect(DecimalText.format(.nan) == nil)
        #expect(DecimalText.format(.infinity) == nil)
        #expect(DecimalText.format(1e300) == nil)
    }

    @Test func hl7EscapesEveryDelimiterAndLineBreak() {
        #expect(HL7Text.escape("a|b^c~d\\e&f") == "a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f")
        #expect(HL7Text.escape("one\r\ntwo") == "one\\X0D\\\\X0A\\two")
        #expect(HL7Text.components("1", nil, "x^y", nil) == "1^^x\\S\\y")
    }

    @Test func uuidsAreStableDistinctAndVersionEight() {
        let first = DeterministicUUID(name: "patient|P1")
        #expect(first == DeterministicUUID(name: "patient|P1"))
        #expect(first != DeterministicUUID(name: "patient|P2"))
        let text = first.description
        #expect(text.count == 36)
        let groups = text.split(separator: "-").map(String.init)
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(groups[2].first == "8")
        #expect(["8", "9", "a", "b"].contains(groups[3].first.map(String.init) ?? ""))
        #expect(first.urn == "urn:uuid:" + text)
    }

    @Test func jsonStringsEscapeQuotesBackslashesAndControls() {
        let value = OrderedJSON.object([("k", .string("a\"b\\c\nd\u{1}")), ("n", .number(2.5)), ("i", .integer(-3))])
        #expect(value.text(indent: nil) == #"{"k":"a\"b\\c\nd\u0001","n":2.5,"i":-3}"#)
    }
}
