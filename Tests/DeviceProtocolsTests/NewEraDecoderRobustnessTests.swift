import DeviceProtocols
import PropertyBased
import Testing
import TestSupport

/// The NE-1000 decoders against hostile input: random and truncated bytes in random splits must
/// never crash, never grow the buffer past one packet, never yield an impossible message, and the
/// decoders must find the next good frame after garbage.
@Suite struct NewEraDecoderRobustnessTests {
    static let iterations = 100_000

    /// Bytes that matter to the framing, mixed with arbitrary ones, so random input often looks
    /// like the start of a frame.
    static let interestingBytes: [UInt8] = [0x02, 0x03, 0x0D, 0x07, 0x0B, 0x30, 0x31, 0x39, 0x41, 0x3F, 0x53, 0x49, 0x2E]

    static func randomBytes(using generator: inout Xoshiro) -> [UInt8] {
        let count = Int.random(in: 0...48, using: &generator)
        return (0..<count).map { _ in
            Bool.random(using: &generator)
                ? interestingBytes.randomElement(using: &generator) ?? 0
                : UInt8.random(in: 0...255, using: &generator)
        }
    }

    static let sampleReplies: [[UInt8]] = [
        NewEraReply(address: 0, status: .infusing, body: .payload("I0.125W0.000ML")).encoded,
        NewEraReply(address: 7, status: .alarm(.stalled), framing: .safe).encoded,
        NewEraReply(address: 12, status: .stopped, body: .error(.outOfRange), framing: .safe).encoded,
        NewEraReply(address: 99, status: .paused, body: .payload("5.000MH")).encoded,
    ]

    static let sampleRequests: [[UInt8]] = [
        NewEraRequest(address: 0, command: .setSafeModeTimeout(0)).encoded(.safe),
        NewEraRequest(address: 3, command: .queryDispensed).encoded(.basic),
        NewEraRequest(address: nil, command: .setAddress(4, baud: nil)).encoded(.safe),
        NewEraRequest(address: 0, command: .run(phase: nil)).encoded(.basic),
    ]

    /// A random input: noise, or a sample frame cut short or with one byte changed.
    static func hostileInput(samples: [[UInt8]], using generator: inout Xoshiro) -> [UInt8] {
        let frame = samples.randomElement(using: &generator) ?? []
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: return randomBytes(using: &generator)
        case 1: return Array(frame.prefix(Int.random(in: 0..<frame.count, using: &generator)))
        default:
            var mutated = frame
            let index = Int.random(in: 0..<mutated.count, using: &generator)
            mutated[index] = UInt8.random(in: 0...255, using: &generator)
            return mutated + randomBytes(using: &generator)
        }
    }

    @Test func replyDecoderSurvivesHostileInput() async {
        var generator = Xoshiro(seed: (1, 2, 3, 4))
        var decoder = NewEraReplyDecoder()
        var fed = 0
        for iteration in 0..<Self.iterations {
            // Hand the shared test pool back now and then: pty tests in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            let input = Self.hostileInput(samples: Self.sampleReplies, using: &generator)
            fed += input.count
            for chunk in DripFeed.pieces(of: input, using: &generator) {
                for case .reply(let reply) in decoder.decode(chunk) {
                    #expect(reply.address <= 99)
                    #expect(reply.text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
                }
                #expect(decoder.bufferedByteCount <= 256)
            }
        }
        #expect(decoder.discardedByteCount <= fed)
    }

    @Test func commandDecoderSurvivesHostileInput() async {
        var generator = Xoshiro(seed: (5, 6, 7, 8))
        var decoder = NewEraCommandDecoder()
        for iteration in 0..<Self.iterations {
            // Hand the shared test pool back now and then: pty tests in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            let input = Self.hostileInput(samples: Self.sampleRequests, using: &generator)
            for chunk in DripFeed.pieces(of: input, using: &generator) {
                for case .request(let request, _) in decoder.decode(chunk) {
                    if case .pump(let address) = request.addressing { #expect(address <= 99) }
                }
                #expect(decoder.bufferedByteCount <= 256)
            }
        }
    }

    /// How the bytes are split never changes what comes out.
    @Test func outputDoesNotDependOnTheSplit() {
        var generator = Xoshiro(seed: (9, 10, 11, 12))
        for _ in 0..<10_000 {
            var stream: [UInt8] = []
            for _ in 0..<4 {
                stream += Self.hostileInput(samples: Self.sampleReplies + Self.sampleRequests, using: &generator)
            }
            let replies = DripFeed.decodeEachWay(stream, with: NewEraReplyDecoder.init, using: &generator)
            #expect(replies.inPieces == replies.whole && replies.byteByByte == replies.whole)
            let commands = DripFeed.decodeEachWay(stream, with: NewEraCommandDecoder.init, using: &generator)
            #expect(commands.inPieces == commands.whole && commands.byteByByte == commands.whole)
        }
    }

    /// After noise without STX, or a reply cut short and abandoned at the driver's timeout, the
    /// next good reply is decoded.
    @Test func replyDecoderResynchronises() throws {
        var generator = Xoshiro(seed: (13, 14, 15, 16))
        let good = NewEraReply(address: 0, status: .infusing, body: .payload("5.250MH"), framing: .safe)
        for _ in 0..<10_000 {
            var decoder = NewEraReplyDecoder()
            let noise = Self.randomBytes(using: &generator).filter { $0 != 0x02 }
            #expect(decoder.decode(noise + good.encoded).last == .reply(good))
            let cut = try #require(Self.sampleReplies.randomElement(using: &generator))
            _ = decoder.decode(cut.prefix(Int.random(in: 1..<cut.count, using: &generator)))
            decoder.reset()
            #expect(decoder.decode(good.encoded) == [.reply(good)])
        }
    }

    /// A Basic reply cut short by the next STX is reported and the next reply is read.
    @Test func basicReplyCutByNextFrame() {
        var decoder = NewEraReplyDecoder()
        let good = NewEraReply(address: 0, status: .stopped)
        #expect(decoder.decode(Array("\u{02}00I5.0".utf8) + good.encoded) == [.damaged(.truncated), .reply(good)])
    }

    /// A safe packet with a bad CRC is reported with its readable address, so the pump can answer
    /// `?COM`; the following good packet still decodes.
    @Test func commandDecoderFlagsBadChecksum() {
        var decoder = NewEraCommandDecoder()
        var damaged = NewEraRequest(address: 5, command: .queryRate).encoded(.safe)
        damaged[damaged.count - 2] ^= 0xFF
        let good = NewEraRequest(address: 5, command: .stop)
        #expect(decoder.decode(damaged + good.encoded(.safe)) == [.damaged(.pump(5)), .request(good, .safe)])
        #expect(decoder.decode(Array("noise".utf8)) == [])
        #expect(decoder.discardPartialFrame() == 5)
        #expect(decoder.decode(good.encoded(.basic)) == [.request(good, .basic)])
    }
}
