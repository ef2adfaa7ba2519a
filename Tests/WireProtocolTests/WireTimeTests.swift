import Testing
import WireProtocol

/// The protocol's time text (docs/PROTOCOL.md "Times"), written straight into a string since issue 21.
@Suite struct WireTimeTests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (1_796_601_600_000, "2026-12-07T00:00:00.000Z"),
        (1_796_609_655_050, "2026-12-07T02:14:15.050Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (-62_135_596_800_001, "0000-12-31T23:59:59.999Z"),
        // Beyond four-digit years the fields are still padded, the year to at least four digits.
        (253_402_300_800_000, "10000-01-01T00:00:00.000Z"),
    ] as [(Int64, String)])
    func knownInstants(epochMilliseconds: Int64, text: String) {
        #expect(WireTime.text(epochMilliseconds: epochMilliseconds) == text)
        #expect(WireTimestamp(epochMilliseconds: epochMilliseconds).description == text)
    }

    @Test func everyInstantOfFourDigitYearsReadsBackAsItself() {
        // SplitMix64 from a fixed seed over years 0000 to 9999, and the millisecond around each day's edges.
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
        let first: Int64 = -62_167_219_200_000
        let last: Int64 = 253_402_300_799_999
        var instants: [Int64] = []
        for _ in 0..<20_000 {
            let instant = first + Int64(next() % UInt64(last - first + 1))
            let day = instant - ((instant % 86_400_000) + 86_400_000) % 86_400_000
            instants += [instant, day, day - 1]
        }
        for instant in instants where instant >= first {
            let text = WireTime.text(epochMilliseconds: instant)
            #expect(text.utf8.count == 24 && text.hasSuffix("Z"), "\(instant): \(text)")
            #expect(WireTime.epochMilliseconds(of: text) == instant, "\(instant): \(text)")
        }
    }
}
