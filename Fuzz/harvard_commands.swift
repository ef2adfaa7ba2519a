// Fuzz target: the device side of the Harvard link (HarvardCommandDecoder), what the pump simulator
// reads from the host.
import DeviceProtocols

@_cdecl("LLVMFuzzerTestOneInput")
public func harvardCommandsFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = HarvardCommandDecoder()
    let requests = whole.decode(input)
    require(whole.discardedByteCount <= input.count, "discarded more bytes than were fed")
    require(whole.bufferedByteCount <= HarvardCommandDecoder.maximumLineLength, "buffer too large")

    var split = HarvardCommandDecoder()
    var splitRequests: [HarvardRequest] = []
    for piece in pieces(of: input) { splitRequests += split.decode(piece) }
    require(splitRequests == requests, "split changed the requests: \(splitRequests) vs \(requests)")

    for request in requests {
        if let address = request.address { require(address <= 99, "address \(address)") }
        // Numbers are written with at most four decimals, so the first re-encoding may round; from
        // then on the request must be a fixed point, keeping its address and the kind of command.
        guard let encoded = request.encoded else { continue }
        var again = HarvardCommandDecoder()
        let first = again.decode(encoded)
        require(first.count == 1, "re-encoded \(request) decodes to \(first)")
        let reread = first[0]
        require(reread.command != nil, "re-encoded \(request) is not understood")
        require((reread.address ?? 0) == (request.address ?? 0), "address changed: \(request) → \(reread)")
        if let reEncoded = reread.encoded {
            var third = HarvardCommandDecoder()
            require(third.decode(reEncoded) == [reread], "no fixed point: \(reread)")
        }
    }
    return 0
}
