/// A serial link's recorded traffic as infusiond writes it with `devices.recordDirectory`
/// (docs/SCENARIOS.md): `< SECONDS HEX...` for device → host, `> SECONDS HEX...` for host → device,
/// `#` comments. Offsets count from the first chunk.
public struct LinkRecording: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        case fromDevice
        case toDevice
    }

    public struct Chunk: Sendable, Equatable {
        public var direction: Direction
        /// Seconds after the first chunk.
        public var offset: Double
        public var bytes: [UInt8]
    }

    public var chunks: [Chunk]

    /// Parses a recording; throws naming the first malformed line.
    public init(parsing text: String) throws(RunnerFailure) {
        chunks = []
        var origin: Double?
        for (index, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") && !line.isEmpty {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "<" || words[0] == ">", let stamp = Double(words[1]) else {
                throw RunnerFailure("recording line \(index + 1) is not '<|> SECONDS HEX...': \(line)")
            }
            var bytes: [UInt8] = []
            for word in words.dropFirst(2) {
                guard word.count == 2, let byte = UInt8(word, radix: 16) else {
                    throw RunnerFailure("recording line \(index + 1): '\(word)' is not a hex byte")
                }
                bytes.append(byte)
            }
            let start = origin ?? stamp
            origin = start
            chunks.append(Chunk(direction: words[0] == "<" ? .fromDevice : .toDevice, offset: stamp - start, bytes: bytes))
        }
    }
}
