import DeviceProtocols
import PropertyBased
import Testing

/// Random bytes on a Harvard link (the device-garbage drill, docs/RELIABILITY.md): they hold CR, LF and
/// the prompt characters, so the decoder must not read them as prompts or as a reply's data lines.
@Suite struct HarvardLineNoiseTests {
    private func decodeAll(_ bytes: [UInt8]) -> [HarvardReply] {
        var decoder = HarvardReplyDecoder()
        return decoder.decode(bytes)
    }

    @Test func aPromptCountsOnlyAfterCRLFOrAsTheStarOfTheIdlePrompt() {
        // The drill's false stall: a lone CR or LF, then `*`.
        #expect(decodeAll(Array("\r*".utf8)).isEmpty)
        #expect(decodeAll(Array("x\n>".utf8)).isEmpty)
        #expect(decodeAll([0x0D, 0x0A, 0x05] + Array(":".utf8)).isEmpty)
        #expect(decodeAll(Array("\r\n00:".utf8)) == [HarvardReply(address: 0, prompt: .idle)])
        #expect(decodeAll(Array("\r\n00:T*".utf8)) == [HarvardReply(address: 0, prompt: .idle), HarvardReply(address: nil, prompt: .targetReached)])
        // After an infusing prompt, or after the idle prompt with anything but `*`/`T*`, no second reply.
        #expect(decodeAll(Array("\r\n00>*".utf8)) == [HarvardReply(address: 0, prompt: .infusing)])
        #expect(decodeAll(Array("\r\n00:00>".utf8)) == [HarvardReply(address: 0, prompt: .idle)])
    }

    @Test func aLineWithANonPrintableByteIsNoiseNotData() {
        let noisy: [UInt8] = Array("ab".utf8) + [0x01] + Array("c\r\n0.1234 ml\r\n00>".utf8)
        var decoder = HarvardReplyDecoder()
        #expect(decoder.decode(noisy) == [HarvardReply(address: 0, lines: ["0.1234 ml"], prompt: .infusing)])
        #expect(decoder.discardedByteCount == 4)
        #expect(decodeAll([0x9C] + Array("7\r\n00:".utf8)) == [HarvardReply(address: 0, prompt: .idle)])
    }

    @Test func aMillionRandomBytesMakeNoReplyAndRepliesAfterNoiseComeThrough() {
        var random = Xoshiro(seed: (0x4E01, 0x5E, 7, 8))
        var decoder = HarvardReplyDecoder()
        let noise = (0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(decoder.decode(noise).isEmpty)
        // Bursts of 3-24 random bytes before each real reply (the simulators' noise fault): every reply
        // decodes with its prompt; a burst of printable bytes only still passes as a data line.
        var withoutExtraLines = 0
        for _ in 0..<1000 {
            let burst = (0..<Int.random(in: 3...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let replies = decoder.decode(burst + HarvardReply(address: 0, prompt: .infusing).encoded)
            #expect(replies.last?.prompt == .infusing && replies.last?.address == 0)
            #expect(replies.dropLast().allSatisfy { $0.prompt != .stalled && $0.prompt != .idle })
            if replies.count == 1, replies[0].lines.isEmpty { withoutExtraLines += 1 }
        }
        #expect(withoutExtraLines > 900, "\(withoutExtraLines) of 1000 replies free of noise lines")
    }
}
