/// Reads big-endian protocol fields from a byte array without ever trapping: every read past the end
/// throws, so a truncated or lying length field ends parsing instead of the process.
struct IntelliVueByteReader {
    struct Truncated: Error {}

    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    private init(bytes: [UInt8], position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    mutating func u8() throws(Truncated) -> UInt8 {
        guard position < end else { throw Truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(Truncated) -> UInt16 {
        let high = try u8()
        return UInt16(high) << 8 | UInt16(try u8())
    }

    mutating func u32() throws(Truncated) -> UInt32 {
        let high = try u16()
        return UInt32(high) << 16 | UInt32(try u16())
    }

    mutating func bytes(_ count: Int) throws(Truncated) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Truncated() }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func skip(_ count: Int) throws(Truncated) {
        guard count >= 0, count <= remaining else { throw Truncated() }
        position += count
    }

    /// A reader over the next `count` bytes, which this reader skips: how a length-prefixed structure
    /// is parsed without letting it read beyond its declared length.
    mutating func sub(_ count: Int) throws(Truncated) -> IntelliVueByteReader {
        guard count >= 0, count <= remaining else { throw Truncated() }
        defer { position += count }
        return IntelliVueByteReader(bytes: bytes, position: position, end: position + count)
    }
}

/// Appends big-endian protocol fields.
struct IntelliVueByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xFFFF))
    }

    mutating func append(_ other: [UInt8]) { bytes += other }

    /// Writes a u16 length followed by `body`; lengths are bounded far below 64 KiB by construction.
    mutating func lengthPrefixed(_ body: [UInt8]) {
        u16(UInt16(clamping: body.count))
        bytes += body
    }
}
