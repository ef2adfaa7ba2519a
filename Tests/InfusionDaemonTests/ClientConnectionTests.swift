@testable import InfusionDaemon
import NIOCore
import NIOEmbedded
import Testing

/// The answer to a client's request is written at once from the channel's loop; other lines wait for the writer's
/// turn on the loop, behind whatever the loop already has queued (the watchers' writes, under load).
@Suite struct ClientConnectionTests {
    private func connection(on channel: EmbeddedChannel) -> ClientConnection {
        ClientConnection(
            id: 1, peer: PeerCredentials(pid: 1, uid: 0, gid: 0), role: .viewer, queueLimit: 10,
            overflowGrace: .seconds(1), channel: channel)
    }

    private func written(_ channel: EmbeddedChannel) throws -> [String] {
        var lines: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { lines.append(String(buffer: buffer)) }
        return lines
    }

    @Test func anAnswerOnTheLoopIsWrittenWithoutWaitingForTheLoopsQueue() throws {
        let channel = EmbeddedChannel()
        let client = connection(on: channel)
        client.answer(Array("first\n".utf8))
        #expect(try written(channel) == ["first\n"])
        client.reply(Array("queued\n".utf8))
        #expect(try written(channel).isEmpty, "a reply waits for the writer's task on the loop")
        client.answer(Array("answer\n".utf8))
        #expect(try written(channel) == ["queued\n", "answer\n"], "the answer takes what waited with it, in order")
        channel.embeddedEventLoop.run()
        #expect(try written(channel).isEmpty, "the task scheduled for the reply finds it taken")
        client.reply(Array("later\n".utf8))
        channel.embeddedEventLoop.run()
        #expect(try written(channel) == ["later\n"])
    }

    /// A watcher's lines move to a channel of their own between two takes: what was written stays on the first
    /// channel, everything after goes to the second, and closing closes both; a move after that is refused.
    @Test func aRedirectMovesTheLinesBetweenTakesAndClosingClosesBothChannels() throws {
        let requests = EmbeddedChannel()
        let lines = EmbeddedChannel()
        let client = connection(on: requests)
        client.answer(Array("watching\n".utf8))
        #expect(client.writer.redirect(to: lines))
        client.reply(Array("first event\n".utf8))
        requests.embeddedEventLoop.run()
        lines.embeddedEventLoop.run()
        client.reply(Array("second event\n".utf8))
        requests.embeddedEventLoop.run()
        lines.embeddedEventLoop.run()
        #expect(try written(requests) == ["watching\n"])
        #expect(try written(lines) == ["first event\n", "second event\n"])

        client.writer.closeChannels()
        #expect(!requests.isActive)
        #expect(!lines.isActive)
        let late = EmbeddedChannel()
        #expect(!client.writer.redirect(to: late), "the caller must close a channel the writer refused")
    }
}
