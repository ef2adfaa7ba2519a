// Fuzz target: the host side of the Harvard Pump 11 Elite / PHD ULTRA link (HarvardReplyDecoder),
// what the daemon reads from a pump, split as a serial port splits it.
import DeviceProtocols
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func harvardRepliesFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let bound = HarvardReplyDecoder.maximumLineLength * (HarvardReplyDecoder.maximumLines + 1)

    var whole = HarvardReplyDecoder()
    let replies = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")
    require(whole.bufferedByteCount <= bound, "buffer holds \(whole.bufferedByteCount) bytes")

    var split = HarvardReplyDecoder()
    var splitReplies: [HarvardReply] = []
    for piece in pieces(of: input) { splitReplies += split.decode(piece) }
    require(splitReplies == replies, "split changed the replies: \(splitReplies) vs \(replies)")
    require(split.bufferedByteCount == whole.bufferedByteCount, "split changed what is buffered")

    var probe = ChairProbe.infusing
    for reply in replies {
        if let address = reply.address { require(address <= 99, "address \(address)") }
        require(reply.lines.count <= HarvardReplyDecoder.maximumLines, "\(reply.lines.count) lines kept")
        for line in reply.lines {
            require(!line.isEmpty && line.utf8.count <= HarvardReplyDecoder.maximumLineLength, "line \(line)")
            if let rate = HarvardReplyValues.rate(line) { require(rate.value >= 0 && rate.value.isFinite, "rate") }
            if let volume = HarvardReplyValues.volume(line) { require(volume.value >= 0, "volume") }
            _ = HarvardReplyValues.diameter(line)
            if let status = HarvardReplyValues.status(line) {
                _ = (status.isRunning, status.isStalled, status.rateMillilitresPerHour, status.volumeMillilitres)
            }
        }
        // Round trip: the reply as the pump would send it decodes to itself. Only for replies a pump could send: a
        // data line that begins with a prompt's text is read as that prompt once written after CR LF (the protocol has
        // no escape), and the decoder kept it as a line only because it came after noise or a lone LF.
        let sendable = reply.lines.allSatisfy { line in
            var probe = HarvardReplyDecoder()
            return probe.decode(Array(("\r\n" + line).utf8)).isEmpty
        }
        if sendable {
            var again = HarvardReplyDecoder()
            let decoded = again.decode(reply.encoded)
            require(decoded == [reply], "re-encoded \(reply) decodes to \(decoded)")
        }

        let observation = HarvardReply.observation(status: reply, rate: reply, infused: reply, at: probe.now)
        probe.send(.pump(observation), receivedAt: observation.time)
        probe.tick(seconds: 1)
    }
    return 0
}
