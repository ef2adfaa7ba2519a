/// A 16-bit cyclic redundancy check, parameterised as in the Rocksoft/Williams model so that each
/// device family names its own variant instead of writing another loop.
///
/// Variants used by the supported devices (parameters from the CRC catalogue, reveng):
/// - `.xmodem`: poly 0x1021, init 0x0000, not reflected, xorout 0 — New Era NE-1000 safe mode.
/// - `.x25`: poly 0x1021, init 0xFFFF, reflected, xorout 0xFFFF — Philips IntelliVue RS232 FCS.
/// - `.ccittFalse`: poly 0x1021, init 0xFFFF, not reflected, xorout 0 — BD Alaris.
public struct CRC16: Sendable, Hashable {
    public let polynomial: UInt16
    public let initial: UInt16
    public let reflected: Bool
    public let finalXor: UInt16

    public init(polynomial: UInt16, initial: UInt16, reflected: Bool, finalXor: UInt16) {
        self.polynomial = polynomial
        self.initial = initial
        self.reflected = reflected
        self.finalXor = finalXor
    }

    /// CRC-16/XMODEM; check value for "123456789" is 0x31C3.
    public static let xmodem = CRC16(polynomial: 0x1021, initial: 0x0000, reflected: false, finalXor: 0x0000)
    /// CRC-16/X-25 (IBM-SDLC, HDLC FCS); check value for "123456789" is 0x906E.
    public static let x25 = CRC16(polynomial: 0x1021, initial: 0xFFFF, reflected: true, finalXor: 0xFFFF)
    /// CRC-16/CCITT-FALSE (IBM-3740); check value for "123456789" is 0x29B1.
    public static let ccittFalse = CRC16(polynomial: 0x1021, initial: 0xFFFF, reflected: false, finalXor: 0x0000)

    /// The checksum of `bytes`.
    public func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = initial
        if reflected {
            let reversedPolynomial = polynomial.bitReversed
            for byte in bytes {
                crc ^= UInt16(byte)
                for _ in 0..<8 {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ reversedPolynomial : crc >> 1
                }
            }
        } else {
            for byte in bytes {
                crc ^= UInt16(byte) << 8
                for _ in 0..<8 {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ polynomial : crc << 1
                }
            }
        }
        return crc ^ finalXor
    }
}

extension UInt16 {
    fileprivate var bitReversed: UInt16 {
        var value = self
        var result: UInt16 = 0
        for _ in 0..<16 {
            result = (result << 1) | (value & 1)
            value >>= 1
        }
        return result
    }
}
