#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Synchronization

/// JSON scalars as the reference writes them.
enum JSONText {
    enum ScalarOutcome { case written, notScalar, notFinite }

    /// Appends `value` when it is a JSON scalar type.
    @inline(__always)
    static func appendScalar<T: Encodable>(_ value: T, to bytes: inout [UInt8]) -> ScalarOutcome {
        if T.self == String.self {
            appendString(reinterpret(value, as: String.self), to: &bytes)
        } else if T.self == Double.self {
            guard appendDouble(reinterpret(value, as: Double.self), to: &bytes) else { return .notFinite }
        } else if T.self == Int.self {
            appendInteger(Int64(reinterpret(value, as: Int.self)), to: &bytes)
        } else if T.self == Bool.self {
            appendBool(reinterpret(value, as: Bool.self), to: &bytes)
        } else if T.self == Int64.self {
            appendInteger(reinterpret(value, as: Int64.self), to: &bytes)
        } else if T.self == UInt64.self {
            appendUnsigned(reinterpret(value, as: UInt64.self), to: &bytes)
        } else if T.self == Int32.self {
            appendInteger(Int64(reinterpret(value, as: Int32.self)), to: &bytes)
        } else if T.self == UInt32.self {
            appendUnsigned(UInt64(reinterpret(value, as: UInt32.self)), to: &bytes)
        } else if T.self == Float.self {
            guard appendFloat(reinterpret(value, as: Float.self), to: &bytes) else { return .notFinite }
        } else {
            return .notScalar
        }
        return .written
    }

    /// `value` as `U`, which the caller has checked is `T`.
    @inline(__always)
    private static func reinterpret<T, U>(_ value: T, as _: U.Type) -> U {
        withUnsafePointer(to: value) { UnsafeRawPointer($0).load(as: U.self) }
    }

    static func appendNull(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    static func appendBool(_ value: Bool, to bytes: inout [UInt8]) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude, to: &bytes)
    }

    static func appendUnsigned(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var remaining = value
            var position = start + digits - 1
            while remaining > 0 {
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                position -= 1
            }
        }
    }

    /// As the reference: Swift's shortest round-trip text without a trailing `.0`. A whole number below 2^53
    /// in magnitude prints as its digits and `.0` there, so it is written as an integer (but not -0, `-0`).
    /// False (nothing written) for NaN and the infinities.
    static func appendDouble(_ value: Double, to bytes: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero), !(value == 0 && value.sign == .minus) {
            appendInteger(Int64(value), to: &bytes)
        } else {
            appendNumberText(value.description, to: &bytes)
        }
        return true
    }

    /// As `appendDouble`, with `Float`'s 2^24.
    static func appendFloat(_ value: Float, to bytes: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        if value.magnitude < 16_777_216, value == value.rounded(.towardZero), !(value == 0 && value.sign == .minus) {
            appendInteger(Int64(value), to: &bytes)
        } else {
            appendNumberText(value.description, to: &bytes)
        }
        return true
    }

    /// A number's text without a trailing `.0`.
    private static func appendNumberText(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        if utf8.count >= 2, utf8.last == UInt8(ascii: "0"), utf8[utf8.index(utf8.endIndex, offsetBy: -2)] == UInt8(ascii: ".") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// `string` as a JSON string literal; returns its UTF-8 length where nothing needed an escape (-1 where
    /// something did) and whether it is ASCII.
    @discardableResult
    static func appendString(_ string: String, to bytes: inout [UInt8]) -> (plainLength: Int, isASCII: Bool) {
        if let result = string.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &bytes) }) { return result }
        return Array(string.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &bytes) }
    }

    /// `utf8` with the reference's escapes, in quotes.
    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) -> (plainLength: Int, isASCII: Bool) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var escaped = false
        var highBits: UInt8 = 0
        for position in 0..<utf8.count {
            let byte = utf8[position]
            highBits |= byte
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            escaped = true
            if runStart < position { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position])) }
            runStart = position + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            default:
                func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
        return (escaped ? -1 : utf8.count, highBits < 0x80)
    }
}
