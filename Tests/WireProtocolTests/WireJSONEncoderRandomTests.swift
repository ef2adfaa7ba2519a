import Testing
import WireProtocol

/// Random `JSONValue` trees from a fixed seed, written by `WireJSONEncoder` and by the reference encoder: the same
/// bytes every time. Names and strings mix ASCII, escapes, control characters and non-ASCII text; numbers
/// include the extremes and random bit patterns.
@Suite struct WireJSONEncoderRandomTests {
    /// SplitMix64: small, fast and the same on every platform, so a failing case can be found again by its seed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    private struct TreeMaker {
        var random: SplitMix64

        private static let pieces: [String] = [
            "a", "B", "z", "_", "0", "9", "10", "2", " ", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{C}", "\u{0}", "\u{1}",
            "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本", "😀", "\u{2028}", "\u{212A}", "K", "ß", "Ω", "\u{FEFF}", "time", "value",
        ]

        mutating func text() -> String {
            let length = Int.random(in: 0...6, using: &random)
            return (0..<length).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
        }

        mutating func double() -> Double {
            switch Int.random(in: 0..<8, using: &random) {
            case 0:
                return [0, -0.0, 1, -1, 0.1, 1e-4, 1e-5, 1e15, 1e16, 9_007_199_254_740_992, 9_007_199_254_740_994, .greatestFiniteMagnitude,
                    -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, .ulpOfOne]
                    .randomElement(using: &random)!
            case 1:
                // Any finite bit pattern.
                while true {
                    let value = Double(bitPattern: random.next())
                    if value.isFinite { return value }
                }
            case 2: return Double(Int64.random(in: -1_000_000...1_000_000, using: &random))
            case 3: return Double(Int64.random(in: .min ... .max, using: &random))
            case 4: return Double(Int.random(in: -100_000...100_000, using: &random)) / 100
            default: return Double.random(in: -1e6...1e6, using: &random)
            }
        }

        mutating func integer() -> Int64 {
            Int.random(in: 0..<4, using: &random) == 0
                ? [Int64.min, .max, 0, -1, 1].randomElement(using: &random)!
                : Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...63, using: &random)
        }

        mutating func value(depth: Int) -> JSONValue {
            let choice = Int.random(in: 0..<(depth < 5 ? 9 : 6), using: &random)
            switch choice {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &random))
            case 2: return .integer(integer())
            case 3: return .number(double())
            case 4, 5: return .string(text())
            case 6: return .array((0..<Int.random(in: 0...5, using: &random)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0...8, using: &random) { members[text()] = value(depth: depth + 1) }
                return .object(members)
            }
        }
    }

    @Test func randomTreesEncodeAsTheReferenceDoes() {
        var maker = TreeMaker(random: SplitMix64(state: 0x1F2E_3D4C_5B6A_7988))
        var compared = 0
        var differing = 0
        for index in 0..<3_000 {
            let tree = maker.value(depth: 0)
            let reference: [UInt8]
            do {
                reference = try LineCoding.referenceEncoded(tree)
            } catch {
                Issue.record("case \(index): the reference threw \(error)")
                continue
            }
            let written = WireJSONEncoder.encodeDirectly(tree)
            compared += 1
            if written != reference {
                differing += 1
                // Report the first few in full; the count says how many more.
                if differing <= 3 {
                    Issue.record("case \(index):\n  written:   \(written.map(EncoderComparison.text) ?? "left to the reference")\n  reference: \(EncoderComparison.text(reference))")
                }
            }
        }
        #expect(compared == 3_000)
        #expect(differing == 0)
    }

    /// The hand-written `vital` data (`ChairEventData<VitalData>.encodedData`) against the reference: random chairs'
    /// names, parameters, flag lists, times and values (absent, any finite one, and not finite, which both make `null`).
    @Test func randomVitalEventsEncodeAsTheReferenceDoes() throws {
        var maker = TreeMaker(random: SplitMix64(state: 0x5EED_0F_41DA1))
        for index in 0..<3_000 {
            var flags: [WireVitalFlag] = []
            for _ in 0..<Int.random(in: 0...3, using: &maker.random) { flags.append(WireVitalFlag.allCases.randomElement(using: &maker.random)!) }
            let value: Double? = switch Int.random(in: 0..<6, using: &maker.random) {
            case 0: nil
            case 1: [Double.nan, .infinity, -.infinity].randomElement(using: &maker.random)!
            default: maker.double()
            }
            let event = ChairEventData(chair: maker.text(), detail: VitalData(
                parameter: WireVitalParameter.allCases.randomElement(using: &maker.random)!, value: value, flags: flags,
                time: WireTimestamp(epochMilliseconds: Int64.random(in: -100_000_000_000_000...300_000_000_000_000, using: &maker.random))))
            let reference = (try? LineCoding.referenceEncoded(event)) ?? Array("null".utf8)
            #expect(event.encodedData == reference, "case \(index): \(EncoderComparison.text(event.encodedData)) against \(EncoderComparison.text(reference))")
        }
    }

    @Test func randomTextAsStringsAndNamesEncodesAsTheReferenceDoes() {
        var maker = TreeMaker(random: SplitMix64(state: 42))
        for _ in 0..<2_000 {
            let text = maker.text() + maker.text()
            EncoderComparison.expectSame(text)
            EncoderComparison.expectSame(Dictionary([(text, maker.text()), (maker.text(), text)], uniquingKeysWith: { $1 }))
        }
    }

    @Test func randomNumbersEncodeAsTheReferenceDoes() {
        var maker = TreeMaker(random: SplitMix64(state: 7))
        var doubles: [Double] = []
        var floats: [Float] = []
        for _ in 0..<5_000 {
            let value = maker.double()
            doubles.append(value)
            if Float(value).isFinite { floats.append(Float(value)) }
        }
        for chunk in stride(from: 0, to: doubles.count, by: 500) {
            EncoderComparison.expectSame(Array(doubles[chunk..<min(chunk + 500, doubles.count)]), "doubles from \(chunk)")
        }
        EncoderComparison.expectSame(floats, "floats")
        EncoderComparison.expectSame((0..<2_000).map { _ in maker.integer() }, "integers")
    }
}
