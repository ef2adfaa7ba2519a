@testable import InfusionDaemon
import Testing
import WireProtocol

@Suite struct ClientOutboxTests {
    private func drain(_ outbox: ClientOutbox) async -> [ClientOutbox.Line] {
        var lines: [ClientOutbox.Line] = []
        for await line in outbox.lines { lines.append(line) }
        return lines
    }

    @Test func eventsAreNumberedInQueueOrderAndRepliesAreNot() async {
        let outbox = ClientOutbox(limit: 10)
        outbox.send(event: "hello", topic: nil, data: Array("{}".utf8))
        outbox.send(line: Array("{\"reply\":\"ping\"}\n".utf8))
        outbox.send(event: "notice", topic: .notices, data: Array("{}".utf8))
        outbox.close()
        let texts = await drain(outbox).map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(texts.count == 3)
        #expect(texts[0].contains(#""seq":1"#))
        #expect(texts[1] == "{\"reply\":\"ping\"}\n")
        #expect(texts[2].contains(#""seq":2"#))
    }

    @Test func overflowQueuesAFinalNoticeAndRefusesMore() async {
        let outbox = ClientOutbox(limit: 3)
        for _ in 0..<3 { #expect(outbox.send(event: "e", topic: .vitals, data: Array("1".utf8)) == .queued) }
        #expect(outbox.send(event: "e", topic: .vitals, data: Array("1".utf8)) == .overflowed)
        #expect(outbox.send(line: Array("late\n".utf8)) == .closed)
        let lines = await drain(outbox)
        #expect(lines.count == 4)
        #expect(lines.last?.isFinal == true)
        let last = String(decoding: lines.last?.bytes ?? [], as: UTF8.self)
        #expect(last.hasPrefix(#"{"event":"overflow","seq":4"#))
        #expect(lines.dropLast().allSatisfy(outbox.shouldSkip), "the writer skips what is left once overflowed")
    }

    @Test func writtenLinesFreeRoom() {
        let outbox = ClientOutbox(limit: 2)
        #expect(outbox.send(line: [1]) == .queued)
        #expect(outbox.send(line: [2]) == .queued)
        outbox.didWrite()
        #expect(outbox.send(line: [3]) == .queued)
    }
}
