// Fuzz target: what infusion-hl7 reads from an interface engine (docs/INTEGRATION.md): MLLP framing
// (MLLPDecoder), each frame as an IHE PCD-03 order (HL7Message, InfusionOrder), and the RRG^O16 answer
// (OrderAcknowledgement) every message gets, staged or refused.
import ClinicalExports
import InfusionCore

@_cdecl("LLVMFuzzerTestOneInput")
public func hl7InboundFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)

    var whole = MLLPDecoder(maximumFrameBytes: 4096)
    let items = whole.feed(input)
    var split = MLLPDecoder(maximumFrameBytes: 4096)
    var splitItems: [MLLPDecoder.Item] = []
    for piece in pieces(of: input) { splitItems += split.feed(piece) }
    require(splitItems == items, "split changed the frames")

    // The frames, and the whole input read as one unframed message, go to the order reader.
    var messages = items.compactMap { item -> [UInt8]? in
        if case .frame(let frame) = item { return frame }
        return nil
    }
    messages.append(input)
    for message in messages {
        let text = String(decoding: message, as: UTF8.self)
        let outcome: OrderAcknowledgement.Outcome
        do {
            let order = try InfusionOrder.parse(text)
            require(!order.chair.isEmpty, "an accepted order names its chair")
            outcome = .staged
        } catch {
            outcome = .refused(error)
        }
        let answer = OrderAcknowledgement.message(
            for: "CTRL-1", outcome: outcome, acknowledgementID: "ACK-1", time: UTCInstant(millisecondsSinceEpoch: 0),
            configuration: HL7Configuration())
        require(answer.hasPrefix("MSH|^~\\&|"), "every answer is an HL7 message")
        require(answer.contains("\rMSA|"), "every answer carries its MSA")
    }
    return 0
}
