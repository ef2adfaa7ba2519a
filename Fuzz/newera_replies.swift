// Fuzz target: the host side of the New Era NE-1000 link (NewEraReplyDecoder), what the daemon reads
// from a pump, in either framing, split as a serial port splits it.
import DeviceProtocols
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func newEraRepliesFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = NewEraReplyDecoder()
    let outputs = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")
    // "Never more than one maximal safe packet": STX plus a LEN of at most 255.
    require(whole.bufferedByteCount <= 256, "buffer holds \(whole.bufferedByteCount) bytes")

    // The documented promise: the same replies whatever the split.
    var split = NewEraReplyDecoder()
    var splitOutputs: [NewEraReplyDecoder.Output] = []
    for piece in pieces(of: input) {
        splitOutputs += split.decode(piece)
        require(split.bufferedByteCount <= 256, "buffer holds \(split.bufferedByteCount) bytes after a piece")
    }
    require(splitOutputs == outputs, "split changed the output: \(splitOutputs) vs \(outputs)")
    require(split.discardedByteCount == whole.discardedByteCount, "split changed the discarded count")

    var probe = ChairProbe.infusing
    for case .reply(let reply) in outputs {
        require(reply.address <= 99, "address \(reply.address)")
        // Round trip: the reply re-encoded decodes to itself.
        var again = NewEraReplyDecoder()
        let decoded = again.decode(reply.encoded)
        require(decoded == [.reply(reply)], "re-encoded \(reply) decodes to \(decoded)")

        // The payload readers the driver uses, and the read-back handed to the core.
        if let payload = reply.payload {
            if let rate = NewEraReplyValues.rate(payload) { require(rate.value >= 0 && rate.value.isFinite, "rate") }
            if let volume = NewEraReplyValues.volume(payload) { require(volume.value >= 0, "volume") }
            if let dispensed = NewEraReplyValues.dispensed(payload) {
                require(dispensed.infused >= 0 && dispensed.withdrawn >= 0, "dispensed")
            }
            _ = NewEraReplyValues.number(payload)
            _ = NewEraReplyValues.direction(payload)
            if let version = NewEraReplyValues.version(payload) {
                require(NewEraReplyValues.version(version.text) == version, "version text round trip")
            }
        }
        let observation = NewEraReply.observation(status: reply, rate: reply, dispensed: reply, at: probe.now)
        probe.send(.pump(observation), receivedAt: observation.time)
        probe.tick(seconds: 1)
    }
    return 0
}
