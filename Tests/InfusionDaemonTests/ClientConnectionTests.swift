import Glibc
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

    /// A connected pair of Unix stream sockets (the kernel's own): `near` stands for the daemon's direct duplicate of a
    /// watcher's socket, `far` for the watcher.
    private func socketPair(sendBuffer: Int32? = nil) throws -> (near: Int32, far: Int32) {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        if var size = sendBuffer {
            setsockopt(ends[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        return (ends[0], ends[1])
    }

    /// Everything the watcher's end can read now.
    private func received(_ far: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(far, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A watcher moved to a channel with a direct descriptor: `lines` is that channel, and the move has taken effect.
    private func movedWatcher(direct: Int32) throws -> (client: ClientConnection, lines: EmbeddedChannel) {
        let requests = EmbeddedChannel()
        let lines = EmbeddedChannel()
        let client = connection(on: requests)
        #expect(client.writer.redirect(to: lines, directDescriptor: direct))
        requests.embeddedEventLoop.run()
        lines.embeddedEventLoop.run()
        return (client, lines)
    }

    private func event(_ text: String) -> (lines: [ByteBuffer], joined: [UInt8]) {
        ([ByteBuffer(string: text)], Array(text.utf8))
    }

    /// What the event hub does with each watcher: a direct write when the writer can be claimed, the outbox otherwise.
    private func publish(_ event: (lines: [ByteBuffer], joined: [UInt8]), to client: ClientConnection) {
        if client.writer.claimDirectWrite() {
            client.writer.writeClaimed(event.joined)
        } else {
            client.deliver(event.lines)
        }
    }

    /// With nothing waiting, a publisher's lines go straight to the socket from its own thread: the loop writes
    /// nothing and is given nothing to do; a line queued before them keeps its place, so the next ones wait behind it.
    @Test func anIdleWatchersLinesAreWrittenDirectlyAndNeverPassAQueuedLine() throws {
        let pair = try socketPair()
        defer { close(pair.far) }
        let (client, lines) = try movedWatcher(direct: pair.near)
        let first = event("{\"event\":\"vital\",\"seq\":1}\n")
        publish(first, to: client)
        #expect(received(pair.far) == "{\"event\":\"vital\",\"seq\":1}\n")
        #expect(try written(lines).isEmpty)
        #expect(client.outbox.queuedBytes == 0)

        client.reply(Array("reply\n".utf8))
        let second = event("second\n")
        publish(second, to: client)
        #expect(received(pair.far).isEmpty, "the reply waits for the loop, and the event behind it")
        lines.embeddedEventLoop.run()
        #expect(try written(lines) == ["reply\n", "second\n"])

        // A line queued between a claim and its write goes out after the claimed lines, from the loop.
        let claimedFirst = event("claimed\n")
        #expect(client.writer.claimDirectWrite())
        #expect(!client.writer.claimDirectWrite(), "one claim at a time")
        client.reply(Array("meanwhile\n".utf8))
        client.writer.writeClaimed(claimedFirst.joined)
        #expect(received(pair.far) == "claimed\n")
        lines.embeddedEventLoop.run()
        #expect(try written(lines) == ["meanwhile\n"])

        client.writer.closeChannels()
        #expect(fcntl(pair.near, F_GETFD) == -1, "closing the writer's channels closes its direct descriptor")
    }

    /// What the socket does not take at once is written by the loop before anything else; a socket that takes nothing
    /// leaves the lines to the outbox.
    @Test func aPartlyTakenWriteIsFinishedByTheLoopAndAFullSocketLeavesTheLinesQueued() throws {
        let pair = try socketPair(sendBuffer: 4096)
        defer { close(pair.far) }
        let (client, lines) = try movedWatcher(direct: pair.near)
        let text = String(repeating: "x", count: 399) + "\n"
        let big = event(String(repeating: text, count: 2000))
        publish(big, to: client)
        let direct = received(pair.far)
        #expect(!direct.isEmpty && direct.count < big.joined.count, "the socket took part of it")
        client.reply(Array("after\n".utf8))
        lines.embeddedEventLoop.run()
        let rest = try written(lines)
        #expect(direct + rest.joined() == String(repeating: text, count: 2000) + "after\n")

        // Now the socket's buffer is full (nothing reads it): the loop writes the next lines, which are not lost.
        let filler = [UInt8](repeating: 0x78, count: 1 << 20)
        _ = filler.withUnsafeBytes { send(pair.near, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        let queued = event("queued\n")
        publish(queued, to: client)
        lines.embeddedEventLoop.run()
        #expect(try written(lines) == ["queued\n"])
        client.writer.closeChannels()
    }
}
