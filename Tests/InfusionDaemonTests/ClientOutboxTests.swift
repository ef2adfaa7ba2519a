@testable import InfusionDaemon
import NIOCore
import Synchronization
import Testing
import WireProtocol

@Suite struct ClientOutboxTests {
    /// What a writer would send: every batch taken, until the last take of the closed outbox.
    private func drain(_ outbox: ClientOutbox) -> (lines: [String], batches: Int) {
        var bytes: [UInt8] = []
        var batches = 0
        while true {
            let take = outbox.take()
            if !take.bytes.isEmpty { batches += 1 }
            bytes += take.bytes
            if take.isLast { break }
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { String($0) + "\n" }
        return (lines, batches)
    }

    @Test func linesGoOutInQueueOrderTopicEventsWithTheDaemonsNumberConnectionEventsWithout() {
        let outbox = ClientOutbox(limit: 10)
        outbox.send(connectionEvent: "hello", data: Array("{}".utf8))
        outbox.send(line: Array("{\"reply\":\"ping\"}\n".utf8))
        outbox.send(EncodedEvent("notice", topic: .notices, sequence: 41, data: Array("{}".utf8)))
        outbox.close()
        let texts = drain(outbox).lines
        #expect(texts.count == 3)
        #expect(texts[0] == #"{"event":"hello","data":{}}"# + "\n")
        #expect(texts[1] == "{\"reply\":\"ping\"}\n")
        #expect(texts[2] == #"{"event":"notice","topic":"notices","seq":41,"data":{}}"# + "\n")
    }

    @Test func linesQueuedBeforeTheWriterWakesGoOutInOneWrite() {
        let outbox = ClientOutbox(limit: 100)
        for sequence in 1...32 { outbox.send(EncodedEvent("vital", topic: .vitals, sequence: UInt64(sequence), data: Array("1".utf8))) }
        outbox.close(finalEvent: ConnectionEvent.shutdown, data: Array("{}".utf8))
        let (lines, batches) = drain(outbox)
        #expect(batches == 1)
        #expect(lines.count == 33)
        #expect(lines.last == #"{"event":"shutdown","data":{}}"# + "\n")
    }

    @Test func overflowDropsWhatWaitsAndLeavesOnlyTheNotice() {
        let outbox = ClientOutbox(limit: 3)
        for sequence in 1...3 { #expect(outbox.send(EncodedEvent("e", topic: .vitals, sequence: UInt64(sequence), data: Array("1".utf8))) == .queued) }
        #expect(outbox.send(EncodedEvent("e", topic: .vitals, sequence: 4, data: Array("1".utf8))) == .overflowed)
        #expect(outbox.send(line: Array("late\n".utf8)) == .closed)
        outbox.close(finalEvent: ConnectionEvent.shutdown, data: Array("{}".utf8))
        let lines = drain(outbox).lines
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"event":"overflow","data":{"reason":"#) == true)
    }

    /// The writer is woken for every line queued and at the close, never for a line refused once closed, and
    /// the take after the close is the last.
    @Test func theWriterIsWokenForEachLineAndTheClose() {
        let wakes = Atomic<Int>(0)
        let outbox = ClientOutbox(limit: 10, wake: { wakes.wrappingAdd(1, ordering: .relaxed) })
        outbox.send(line: Array("a\n".utf8))
        outbox.send(line: Array("b\n".utf8))
        #expect(wakes.load(ordering: .relaxed) == 2)
        let first = outbox.take()
        #expect(first.bytes == Array("a\nb\n".utf8) && !first.isLast)
        #expect(outbox.take().bytes.isEmpty)
        outbox.close()
        #expect(wakes.load(ordering: .relaxed) == 3)
        #expect(outbox.send(line: Array("c\n".utf8)) == .closed)
        #expect(wakes.load(ordering: .relaxed) == 3)
        #expect(outbox.take().isLast)
    }

    /// A monitor report's readings are queued together with one wake-up; one that does not fit cuts the client off
    /// there, and what follows it in the batch is not queued.
    @Test func aBatchOfEventsWakesTheWriterOnceAndOverflowsWhereItStopsFitting() {
        let wakes = Atomic<Int>(0)
        let outbox = ClientOutbox(limit: 4, wake: { wakes.wrappingAdd(1, ordering: .relaxed) })
        let events = (1...3).map { EncodedEvent("vital", topic: .vitals, sequence: UInt64($0), data: Array("1".utf8)) }
        #expect(outbox.send(events) == .queued)
        #expect(wakes.load(ordering: .relaxed) == 1)
        #expect(outbox.take().bytes == events.flatMap(\.line))
        #expect(outbox.send(events + events) == .overflowed)
        #expect(outbox.send(events) == .closed)
        #expect(wakes.load(ordering: .relaxed) == 2)
        let lines = drain(outbox).lines
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"event":"overflow","data":{"reason":"#) == true)
    }

    @Test func takenLinesFreeRoom() {
        let outbox = ClientOutbox(limit: 2)
        #expect(outbox.send(line: [1]) == .queued)
        #expect(outbox.send(line: [2]) == .queued)
        #expect(outbox.take().bytes == [1, 2])
        #expect(outbox.send(line: [3]) == .queued)
        #expect(outbox.send(line: [4]) == .queued)
        #expect(outbox.send(line: [5]) == .overflowed)
    }

    /// Bounded in bytes as well as lines: a few large lines a client does not read overflow it long
    /// before the line count would (issue 21: four such watchers of 60 KB notices held 240 MB).
    @Test func largeLinesOverflowByBytesBeforeTheLineCount() {
        let outbox = ClientOutbox(limit: 1_000, byteLimit: 100_000)
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: 60_000) + [UInt8(ascii: "\n")]
        #expect(outbox.send(line: large) == .queued)
        #expect(outbox.send(line: large) == .queued, "the bound is checked before a line: one may pass it")
        #expect(outbox.send(line: large) == .overflowed)
        let taken = outbox.take().bytes
        #expect(taken.count < 1_000, "only the overflow notice is left")
        #expect(String(decoding: taken, as: UTF8.self).contains("100000 bytes"))
    }

    /// The hub hands every watcher the same line: each outbox keeps a reference to that one buffer, not a copy of
    /// its bytes (256 copies of every event were the largest part of the heap at full load).
    @Test func aLineGivenToSeveralOutboxesIsSharedNotCopied() throws {
        let outboxes = (0..<3).map { _ in ClientOutbox(limit: 10) }
        let line = ByteBuffer(bytes: Array(#"{"event":"vital","topic":"vitals","seq":1,"data":{}}"#.utf8) + [10])
        for outbox in outboxes { #expect(outbox.send(lines: [line]) == .queued) }
        #expect(outboxes.allSatisfy { $0.queuedBytes == line.readableBytes })
        let addresses = try outboxes.map { outbox in
            let taken = try #require(outbox.take().lines.first)
            #expect(taken == line)
            return taken.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        }
        let original = line.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(addresses.allSatisfy { $0 == original })
    }

    /// The writer hands the socket whole lines of about 32 KB at once; a longer line goes alone.
    @Test func writeSlicesAreWholeLinesUpToTheirSize() {
        func lines(_ sizes: [Int]) -> ArraySlice<ByteBuffer> {
            sizes.map { ByteBuffer(bytes: [UInt8](repeating: 120, count: $0 - 1) + [10]) }[...]
        }
        let slice = OutboxChannelWriter.writeSliceBytes
        #expect(OutboxChannelWriter.sliceEnd(lines([100, 200, 300])) == 3)
        #expect(OutboxChannelWriter.sliceEnd(lines([slice / 2, slice / 2, 1])) == 2)
        #expect(OutboxChannelWriter.sliceEnd(lines([slice / 2, slice / 2 + 1])) == 1)
        #expect(OutboxChannelWriter.sliceEnd(lines([2 * slice, 10])) == 1)
        #expect(OutboxChannelWriter.sliceEnd(lines([10, 20, 2 * slice]).dropFirst()) == 2)
    }
}

extension ClientOutbox.Take {
    /// The lines' bytes end to end.
    fileprivate var bytes: [UInt8] { lines.flatMap { Array($0.readableBytesView) } }
}

extension ClientOutbox {
    /// Queues topic events as the event hub does: each line one buffer, all with one wake-up of the writer.
    @discardableResult
    fileprivate func send(_ events: [EncodedEvent]) -> Outcome {
        send(lines: events.map { ByteBuffer(bytes: $0.line) })
    }

    @discardableResult
    fileprivate func send(_ event: EncodedEvent) -> Outcome {
        send([event])
    }
}
