/// The contract every device decoder keeps: bytes go in in whatever pieces the serial line delivers,
/// whole messages come out, and nothing the line can send makes it crash.
///
/// A decoder holds only the bytes of the message it is assembling. It bounds that buffer, discards
/// garbage up to the next plausible start of a message (counting what it threw away), and reports
/// a damaged frame as an event instead of dropping it silently, so the driver can count and alarm.
public protocol StreamDecoder: Sendable {
    /// What the decoder produces: messages and, where useful, notices of damaged frames.
    associatedtype Output: Sendable

    /// Appends `bytes` and returns every message completed by them, in order.
    ///
    /// Implementations that walk the bytes one by one walk `Array(bytes)`: called from the daemon's module this
    /// function runs unspecialised, where iterating the generic sequence costs a witness call per byte, and the
    /// `Array` of an `Array` (what the serial link delivers) is the same storage, not a copy (issue 21 item 3,
    /// docs/PERFORMANCE.md).
    mutating func decode(_ bytes: some Sequence<UInt8>) -> [Output]

    /// Bytes discarded while resynchronising since the decoder was created.
    var discardedByteCount: Int { get }
}
