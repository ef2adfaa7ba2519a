/// Device side: reads command lines as a Harvard pump does. CR or LF ends a line, and the LF of
/// a CR LF pair is not an extra empty command. Non-printable bytes are discarded; a line longer
/// than `maximumLineLength` is discarded whole.
public struct HarvardCommandDecoder: StreamDecoder {
    public typealias Output = HarvardRequest

    public private(set) var discardedByteCount = 0
    private var current: [UInt8] = []
    private var overlong = false
    private var previousWasCarriageReturn = false

    /// Longest command line accepted.
    public static let maximumLineLength = 80

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [HarvardRequest] {
        var requests: [HarvardRequest] = []
        for byte in bytes {
            defer { previousWasCarriageReturn = byte == 0x0D }
            switch byte {
            case 0x0A where previousWasCarriageReturn:
                continue
            case 0x0D, 0x0A:
                if overlong {
                    overlong = false
                } else {
                    requests.append(HarvardRequest(line: String(decoding: current, as: UTF8.self)))
                }
                current.removeAll(keepingCapacity: true)
            case 0x20..<0x7F where !overlong:
                if current.count == Self.maximumLineLength {
                    discardedByteCount += current.count + 1
                    current.removeAll(keepingCapacity: true)
                    overlong = true
                } else {
                    current.append(byte)
                }
            default:
                discardedByteCount += 1
            }
        }
        return requests
    }

    /// Bytes held for the line being assembled.
    public var bufferedByteCount: Int { current.count }
}
