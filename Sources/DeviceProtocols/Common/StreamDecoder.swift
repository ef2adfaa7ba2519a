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
    mutating func decode(_ bytes: some Sequence<UInt8>) -> [Output]

    /// Bytes discarded while resynchronising since the decoder was created.
    var discardedByteCount: Int { get }
}
