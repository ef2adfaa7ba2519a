public import DeviceProtocols

/// Feeds a stream decoder the same bytes in the ways a serial line can deliver them (all at once, one byte per
/// read, and in random small pieces) so a test can require that the split never changes what is decoded: a
/// port's `read` returns whatever has arrived, anywhere inside a frame (docs/DEVICE-BASIS.md).
public enum DripFeed {
    /// `bytes` cut into consecutive pieces of 1 to `longest` bytes, the cuts drawn from `generator`.
    public static func pieces(
        of bytes: [UInt8], longest: Int = 8, using generator: inout some RandomNumberGenerator
    ) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...max(longest, 1), using: &generator))
            result.append(bytes[start..<end])
            start = end
        }
        return result
    }

    /// What a fresh decoder from `make` produces from `bytes` fed whole, byte by byte, and in random pieces.
    public static func decodeEachWay<Decoder: StreamDecoder>(
        _ bytes: [UInt8], with make: () -> Decoder, using generator: inout some RandomNumberGenerator
    ) -> (whole: [Decoder.Output], byteByByte: [Decoder.Output], inPieces: [Decoder.Output]) {
        var whole = make()
        var single = make()
        var pieced = make()
        return (
            whole.decode(bytes),
            bytes.flatMap { single.decode(CollectionOfOne($0)) },
            pieces(of: bytes, using: &generator).flatMap { pieced.decode($0) }
        )
    }
}
