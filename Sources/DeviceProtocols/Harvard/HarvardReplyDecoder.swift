/// Host side: assembles Harvard replies from bytes in any split.
///
/// A Harvard reply has no end marker but its prompt, so the decoder collects lines (ended by CR
/// and/or LF) and emits a reply as soon as the text since the last CR LF is exactly a prompt:
/// `[dd]:`, `[dd]>`, `[dd]<`, `[dd]*` or `[dd]T*` (every reply puts CR LF before its prompt,
/// docs/DEVICE-BASIS.md §3). Lines are bounded in length and number; the oldest are dropped (and
/// counted) beyond that. A stray `*` or `T*` right after a `:` prompt (the Elite driver's `00:*`
/// form) comes out as a second reply with that prompt and no lines.
///
/// Line noise: a pump prints only text, so a line with a non-printable byte in it is noise and is
/// dropped whole (counted in `discardedByteCount`), and such a byte between the CR LF and a prompt
/// keeps it from counting. Random bytes hold CR, LF and the prompt characters, so without these
/// rules a stray `\r*` read as a stalled pump and noise before a reply as one of its data lines
/// (found by the device-garbage drill, docs/RELIABILITY.md).
public struct HarvardReplyDecoder: StreamDecoder {
    public typealias Output = HarvardReply

    public private(set) var discardedByteCount = 0
    private var lines: [String] = []
    private var current: [UInt8] = []
    /// Whether a non-printable byte came since the last line break: the line is noise.
    private var currentIsNoise = false
    /// What came just before the current position: a CR, a CR LF, the idle prompt, or anything else.
    private var preceding = Preceding.other
    /// What came before the current line's first byte: only a line after CR LF (or a `*`/`T*` right
    /// after the idle prompt) can be a prompt.
    private var currentStart = Preceding.other

    private enum Preceding {
        case carriageReturn, lineBreak, idlePrompt, other
    }

    /// Longest data line kept.
    public static let maximumLineLength = 128
    /// Most data lines kept for one reply.
    public static let maximumLines = 16

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [HarvardReply] {
        var replies: [HarvardReply] = []
        for byte in Array(bytes) {  // A concrete array: see StreamDecoder.
            switch byte {
            case 0x0D:
                endLine()
                preceding = .carriageReturn
            case 0x0A:
                endLine()
                preceding = preceding == .carriageReturn ? .lineBreak : .other
            case 0x20..<0x7F:
                guard current.count < Self.maximumLineLength else {
                    discardedByteCount += 1
                    continue
                }
                if current.isEmpty { currentStart = preceding }
                preceding = .other
                current.append(byte)
                if let reply = promptReply() {
                    replies.append(reply)
                    if reply.prompt == .idle { preceding = .idlePrompt }
                }
            default:
                discardedByteCount += 1
                currentIsNoise = true
                preceding = .other
            }
        }
        return replies
    }

    /// Bytes held for the reply being assembled.
    public var bufferedByteCount: Int { current.count + lines.reduce(0) { $0 + $1.utf8.count } }

    private mutating func endLine() {
        defer { currentIsNoise = false }
        guard !current.isEmpty else { return }
        if currentIsNoise {
            discardedByteCount += current.count
            current.removeAll(keepingCapacity: true)
            return
        }
        if lines.count == Self.maximumLines {
            discardedByteCount += lines.removeFirst().utf8.count
        }
        lines.append(String(decoding: current, as: UTF8.self))
        current.removeAll(keepingCapacity: true)
    }

    /// The reply completed by the last byte, if `current` is now a prompt.
    private mutating func promptReply() -> HarvardReply? {
        guard !currentIsNoise, currentStart == .lineBreak || currentStart == .idlePrompt else { return nil }
        var text = current[...]
        var address: UInt8?
        if text.count >= 3, let tens = PumpASCII.digit(text[text.startIndex]),
            let ones = PumpASCII.digit(text[text.startIndex + 1])
        {
            address = UInt8(tens * 10 + ones)
            text = text.dropFirst(2)
        }
        guard let prompt = HarvardPrompt(rawValue: String(decoding: text, as: UTF8.self)) else { return nil }
        if currentStart == .idlePrompt {
            guard address == nil, prompt == .stalled || prompt == .targetReached else { return nil }
        }
        let reply = HarvardReply(address: address, lines: lines, prompt: prompt)
        lines.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        return reply
    }
}
