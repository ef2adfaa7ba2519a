// Fuzz target: the device side of the New Era NE-1000 link (NewEraCommandDecoder), what the pump
// simulator reads from the host, in either framing.
import DeviceProtocols

@_cdecl("LLVMFuzzerTestOneInput")
public func newEraCommandsFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = NewEraCommandDecoder()
    let outputs = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")
    // "Never more than one maximal safe packet".
    require(whole.bufferedByteCount <= 256, "buffer holds \(whole.bufferedByteCount) bytes")

    // The decoder promises that an overlong line's fate does not depend on the split; check all of it.
    var split = NewEraCommandDecoder()
    var splitOutputs: [NewEraCommandDecoder.Output] = []
    for piece in pieces(of: input) {
        splitOutputs += split.decode(piece)
        require(split.bufferedByteCount <= 256, "buffer holds \(split.bufferedByteCount) bytes after a piece")
    }
    require(splitOutputs == outputs, "split changed the output: \(splitOutputs) vs \(outputs)")
    require(split.discardedByteCount == whole.discardedByteCount, "split changed the discarded count")

    for case .request(let request, let framing) in outputs {
        if case .pump(let address) = request.addressing { require(address <= 99, "address \(address)") }
        guard let command = request.command else { continue }
        // Round trip: the command written out again is read back as the same request.
        let text = request.text
        require(text.utf8.count <= NewEraFraming.maximumSafeDataLength, "request text too long to frame: \(text)")
        var again = NewEraCommandDecoder()
        let decoded = again.decode(request.encoded(framing))
        require(decoded == [.request(request, framing)], "re-encoded \(request) decodes to \(decoded)")
        require(NewEraCommand(text: Substring(command.text)) == command, "command text round trip: \(command)")
    }
    return 0
}
