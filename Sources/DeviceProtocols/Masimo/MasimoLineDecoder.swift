/// What the Masimo line decoder produces for each complete line.
public enum MasimoLineEvent: Hashable, Sendable {
    /// A line that parsed.
    case record(MasimoRecord)
    /// A line that did not; the driver counts these.
    case rejected(MasimoParseError)
}

/// Splits the Masimo serial stream into lines and parses each one.
///
/// Lines end in LF; a CR before it is trimmed, and blank lines (a tty translating CR to LF) are
/// skipped. A line longer than `maximumLineLength` is discarded up to its LF, so garbage without
/// line ends cannot grow the buffer.
public struct MasimoLineDecoder: StreamDecoder {
    public typealias Output = MasimoLineEvent

    /// The longest line kept, in bytes. The longest documented line (colour Radical-7 with SpHb, SpOC,
    /// EXC1) is under 200 characters, so the default leaves room without letting noise accumulate.
    public let maximumLineLength: Int
    public private(set) var discardedByteCount = 0
    private var line: [UInt8] = []
    private var overflowing = false

    public init(maximumLineLength: Int = 512) {
        self.maximumLineLength = max(1, maximumLineLength)
    }

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [MasimoLineEvent] {
        var events: [MasimoLineEvent] = []
        for byte in Array(bytes) {  // A concrete array: see StreamDecoder.
            if byte == 0x0A {
                if overflowing {
                    overflowing = false
                } else if let event = finishLine() {
                    events.append(event)
                }
                line.removeAll(keepingCapacity: true)
                continue
            }
            if overflowing {
                discardedByteCount += 1
                continue
            }
            line.append(byte)
            if line.count > maximumLineLength {
                discardedByteCount += line.count
                line.removeAll(keepingCapacity: true)
                overflowing = true
                events.append(.rejected(MasimoParseError(.tooLong)))
            }
        }
        return events
    }

    private func finishLine() -> MasimoLineEvent? {
        var content = line[...]
        while let last = content.last, last == 0x0D { content = content.dropLast() }
        guard !content.isEmpty else { return nil }
        switch MasimoLineParser.parse(content) {
        case .success(let record): return .record(record)
        case .failure(let error): return .rejected(error)
        }
    }
}
