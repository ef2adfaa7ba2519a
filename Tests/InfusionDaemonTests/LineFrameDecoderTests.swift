@testable import InfusionDaemon
import NIOCore
import NIOEmbedded
import Testing

@Suite struct LineFrameDecoderTests {
    private func channel(limit: Int) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maximumLineBytes: limit)))
        return channel
    }

    private func lines(_ channel: EmbeddedChannel) throws -> [String] {
        var result: [String] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) {
            result.append(String(buffer: buffer))
        }
        return result
    }

    @Test func splitsLinesArrivingInAnyPieces() throws {
        let channel = try channel(limit: 100)
        for piece in ["{\"a\"", ":1}\n{\"b\":2", "}\r\n", "\n"] {
            try channel.writeInbound(ByteBuffer(string: piece))
        }
        #expect(try lines(channel) == [#"{"a":1}"#, #"{"b":2}"#, ""])
    }

    @Test func refusesALineOverTheLimitBeforeItsNewline() throws {
        let channel = try channel(limit: 10)
        try channel.writeInbound(ByteBuffer(string: "0123456789"))
        #expect(throws: LineFrameDecoder.LineTooLong.self) {
            try channel.writeInbound(ByteBuffer(string: "X"))
        }
    }

    @Test func acceptsALineExactlyAtTheLimit() throws {
        let channel = try channel(limit: 10)
        try channel.writeInbound(ByteBuffer(string: "0123456789\n"))
        #expect(try lines(channel) == ["0123456789"])
    }

    @Test func deliversAFinalLineWithoutNewlineAtEOF() throws {
        let channel = try channel(limit: 100)
        try channel.writeInbound(ByteBuffer(string: "{\"cmd\":\"ping\"}"))
        #expect(try lines(channel).isEmpty)
        _ = try channel.finish()
        #expect(try lines(channel) == [#"{"cmd":"ping"}"#])
    }
}
