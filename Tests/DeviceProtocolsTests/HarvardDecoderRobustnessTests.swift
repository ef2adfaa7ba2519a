import DeviceProtocols
import PropertyBased
import Testing
import TestSupport

/// The Harvard decoders against random and truncated input in random splits.
@Suite struct HarvardDecoderRobustnessTests {
    static let interestingBytes: [UInt8] = Array("\r\n:<>*T0129 .mlu/hirate".utf8) + [0x00, 0x11, 0xFF]

    static func randomBytes(using generator: inout Xoshiro) -> [UInt8] {
        (0..<Int.random(in: 0...40, using: &generator)).map { _ in
            Bool.random(using: &generator)
                ? interestingBytes.randomElement(using: &generator) ?? 0
                : UInt8.random(in: 0...255, using: &generator)
        }
    }

    static let samples: [[UInt8]] = [
        HarvardReply(address: 0, lines: ["0.1234 ml"], prompt: .infusing).encoded,
        HarvardReply(address: 12, lines: ["OOR"], prompt: .idle).encoded,
        HarvardReply(address: nil, prompt: .targetReached).encoded,
        Array("12:irate 3.2 ul/min\r\n".utf8),
        Array("status\r".utf8),
    ]

    static func hostileInput(using generator: inout Xoshiro) -> [UInt8] {
        let sample = samples.randomElement(using: &generator) ?? []
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: return randomBytes(using: &generator)
        case 1: return Array(sample.prefix(Int.random(in: 0..<sample.count, using: &generator)))
        default:
            var mutated = sample
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            return mutated
        }
    }

    @Test func decodersSurviveHostileInputInAnySplit() async {
        var generator = Xoshiro(seed: (21, 22, 23, 24))
        var replies = HarvardReplyDecoder()
        var commands = HarvardCommandDecoder()
        for iteration in 0..<100_000 {
            // Hand the shared test pool back now and then: pty tests in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            let input = Self.hostileInput(using: &generator)
            for chunk in DripFeed.pieces(of: input, using: &generator) {
                for reply in replies.decode(chunk) {
                    #expect(reply.lines.count <= HarvardReplyDecoder.maximumLines)
                    #expect((reply.address ?? 0) <= 99)
                }
                for request in commands.decode(chunk) {
                    #expect((request.address ?? 0) <= 99)
                }
                #expect(replies.bufferedByteCount <= HarvardReplyDecoder.maximumLines * HarvardReplyDecoder.maximumLineLength + 128)
                #expect(commands.bufferedByteCount <= HarvardCommandDecoder.maximumLineLength)
            }
        }
    }

    @Test func outputDoesNotDependOnTheSplit() {
        var generator = Xoshiro(seed: (25, 26, 27, 28))
        for _ in 0..<10_000 {
            let stream = (0..<4).flatMap { _ in Self.hostileInput(using: &generator) }
            let replies = DripFeed.decodeEachWay(stream, with: HarvardReplyDecoder.init, using: &generator)
            #expect(replies.inPieces == replies.whole && replies.byteByByte == replies.whole)
            let commands = DripFeed.decodeEachWay(stream, with: HarvardCommandDecoder.init, using: &generator)
            #expect(commands.inPieces == commands.whole && commands.byteByByte == commands.whole)
        }
    }

    /// After noise, a well-formed reply still comes out with its prompt, address and data lines
    /// (noise before its CR LF can only add leading lines).
    @Test func replyDecoderResynchronises() {
        var generator = Xoshiro(seed: (29, 30, 31, 32))
        let good = HarvardReply(address: 4, lines: ["5.2500 ml/h"], prompt: .infusing)
        for _ in 0..<10_000 {
            var decoder = HarvardReplyDecoder()
            _ = decoder.decode(Self.hostileInput(using: &generator))
            guard let last = decoder.decode(good.encoded).last else {
                Issue.record("no reply after noise")
                continue
            }
            #expect(last.prompt == good.prompt && last.address == good.address)
            #expect(last.lines.last == good.lines.last)
        }
    }
}
