import HL7Bridge
import Testing

@Suite struct MLLPTests {
    static let message = "MSH|^~\\&|INFUSIOND||||20261207000000.000+0000||ORU^R01^ORU_R01|h.1.R01|P|2.6\rPID|||x\r"

    @Test func aFrameIsStartBlockMessageEndBlockCarriageReturn() {
        let framed = MLLP.frame(Self.message)
        #expect(framed.first == 0x0B)
        #expect(Array(framed.suffix(2)) == [0x1C, 0x0D])
        #expect(Array(framed.dropFirst().dropLast(2)) == Array(Self.message.utf8))
    }

    @Test func framesComeOutWholeHoweverTheBytesAreSplit() {
        let stream = MLLP.frame("first\r") + MLLP.frame("second\r") + MLLP.frame(Self.message)
        for chunk in [1, 2, 3, 7, 64, stream.count] {
            var decoder = MLLPDecoder()
            var frames: [String] = []
            var index = 0
            while index < stream.count {
                let end = min(index + chunk, stream.count)
                for item in decoder.feed(stream[index..<end]) {
                    if case .frame(let bytes) = item { frames.append(String(decoding: bytes, as: UTF8.self)) }
                }
                index = end
            }
            #expect(frames == ["first\r", "second\r", Self.message], "chunk \(chunk)")
        }
    }

    @Test func bytesOutsideAFrameAreDiscardedAndANewStartBlockRestartsTheFrame() {
        var decoder = MLLPDecoder()
        let items = decoder.feed(Array("\r\nnoise".utf8) + [0x0B] + Array("cut".utf8) + MLLP.frame("whole"))
        #expect(items == [.frame(Array("whole".utf8))])
        #expect(decoder.discardedBytes == 7 + 3)
    }

    @Test func aLoneEndBlockInsideAFrameIsData() {
        var decoder = MLLPDecoder()
        let items = decoder.feed([0x0B, 0x41, 0x1C, 0x42, 0x1C, 0x0D])
        #expect(items == [.frame([0x41, 0x1C, 0x42])])
    }

    @Test func anOversizedFrameIsDroppedAndTheNextOneStillArrives() {
        var decoder = MLLPDecoder(maximumFrameBytes: 8)
        let items = decoder.feed(MLLP.frame("far too long for the bound") + MLLP.frame("short"))
        #expect(items == [.oversized, .frame(Array("short".utf8))])
    }

    @Test func arbitraryBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        var decoder = MLLPDecoder(maximumFrameBytes: 64)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...50, using: &generator)).map { _ in
                [0x0B, 0x1C, 0x0D, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            _ = decoder.feed(bytes)
        }
    }
}
