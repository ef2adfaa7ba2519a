/// ASCII helpers shared by the pump codecs.
enum PumpASCII {
    /// The value of an ASCII decimal digit, nil for any other byte.
    static func digit(_ byte: UInt8) -> Int? {
        (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil
    }
}
