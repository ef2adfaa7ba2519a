/// Host side: assembles Harvard replies from bytes in any split.
///
/// A Harvard reply has no end marker but its prompt, so the decoder collects lines (ended by CR
/// and/or LF) and emits a reply as soon as the text since the last line break is exactly a
/// prompt: `[dd]:`, `[dd]>`, `[dd]<`, `[dd]*` or `[dd]T*`. Non-printable bytes are discarded.
/// Lines are bounded in length and number; the oldest are dropped (and counted) beyond that.
/// A stray `*` right after a `:` prompt (the Elite driver's `00:*` form) comes out as a second
/// reply with the stalled prompt and no lines.
public struct HarvardReplyDecoder: StreamDecoder {
    public typealias Output = HarvardReply

    public private(set) var discardedByteCount = 0
    private var lines: [String] = []
    private var current: [UInt8] = []

    /// Longest data line kept.
    public static let maximumLineLength = 128
    /// Most data lines kept for one reply.
    public static let maximumLines = 16

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [HarvardReply] {
        var replies: [HarvardReply] = []
        for byte in bytes {
            switch byte {
            case 0x0D, 0x0A:
                endLine()
            case 0x20..<0x7F:
                guard current.count < Self.maximumLineLength else {
                    discardedByteCount += 1
                    continue
                }
                current.append(byte)
                if let reply = promptReply() { replies.append(reply) }
            default:
                discardedByteCount += 1
            }
        }
        return replies
    }

    /// Bytes held for the reply being assembled.
    public var bufferedByteCount: Int { current.count + lines.reduce(0) { $0 + $1.utf8.count } }

    private mutating func endLine() {
        guard !current.isEmpty else { return }
        if lines.count == Self.maximumLines {
            discardedByteCount += lines.removeFirst().utf8.count
        }
        lines.append(String(decoding: current, as: UTF8.self))
        current.removeAll(keepingCapacity: true)
    }

    /// The reply completed by the last byte, if `current` is now a prompt.
    private mutating func promptReply() -> HarvardReply? {
        var text = current[...]
        var address: UInt8?
        if text.count >= 3, let tens = PumpASCII.digit(text[text.startIndex]),
            let ones = PumpASCII.digit(text[text.startIndex + 1])
        {
            address = UInt8(tens * 10 + ones)
            text = text.dropFirst(2)
        }
        guard let prompt = HarvardPrompt(rawValue: String(decoding: text, as: UTF8.self)) else { return nil }
        let reply = HarvardReply(address: address, lines: lines, prompt: prompt)
        lines.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        return reply
    }
}
