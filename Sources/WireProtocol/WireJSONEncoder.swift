#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Synchronization


/// The protocol's JSON writer (issue 21): writes an `Encodable` value straight to UTF-8, byte for byte what
/// `LineCoding`'s reference encoder (Foundation's `JSONEncoder` with sorted keys and unescaped slashes) writes,
/// without the reference's intermediate tree, boxed values and per-call set-up.
///
/// What it reproduces, each checked against the reference by `WireJSONEncoderTests` and the `wire_encoder`
/// fuzz target (docs/PROTOCOL.md "Encoding" states them as the protocol's rules):
/// - members in the byte order of their names' UTF-8 (swift-foundation's `.sortedKeys` off Apple platforms);
///   a name written twice into one object keeps its last value;
/// - numbers as Swift prints them, a floating-point value without a trailing `.0` (`98`, `-0`, `1e+16`);
/// - strings with `"` `\` escaped, U+0008/0009/000A/000C/000D as `\b \t \n \f \r`, the other controls below
///   U+0020 as `\u00xx` (lower-case hex), everything else (`/`, U+007F, U+2028, non-ASCII) as is;
/// - a value whose `encode(to:)` writes nothing as `{}` inside a container;
/// - `encodeIfPresent(nil)` leaves the member out, `encodeNil` and an encoded `nil` write `null`.
///
/// Everything else it leaves to the reference, which then encodes the whole value, so the bytes (or the
/// error) are the reference's: the types the reference treats specially (`Date`, `Data`, `URL`, `Decimal`),
/// NaN and infinities (the reference throws), a top-level value that writes nothing (it throws), nesting
/// deeper than `maximumDepth`, `superEncoder`, a container re-opened under a name already written, one encoder
/// given two values or two kinds of container, two names that Swift's `String` equality merges but whose bytes
/// differ, a container written to after its value ended, and any error thrown while encoding.
package enum WireJSONEncoder {
    /// How deep values may nest before the reference takes over (its own bound is 512 arrays and objects).
    package static let maximumDepth = 500

    /// `value` as compact JSON: the reference encoder's bytes, written here or, where this writer does not
    /// reproduce the reference (see the type's documentation), by the reference. Throws what the reference
    /// throws.
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let bytes = encodeDirectly(value) { return bytes }
        return try LineCoding.referenceEncoded(value)
    }

    /// `value` as compact JSON written by this writer alone; nil where it leaves the value to the reference
    /// (`encode` then asks the reference; the differential tests use it to know the bytes they compare are this
    /// writer's own).
    package static func encodeDirectly<T: Encodable>(_ value: T) -> [UInt8]? {
        var scalar: [UInt8] = []
        switch JSONText.appendScalar(value, to: &scalar) {
        case .written: return scalar
        case .notFinite: return nil
        case .notScalar: break
        }
        var writer = idleWriters.withLock { $0.popLast() } ?? WireJSONWriter()
        let bytes = writer.encodeTopLevel(value) ? Array(writer.bytes) : nil
        // Kept for the next encoding unless something still holds one of its encoders or containers (a value
        // that kept its encoder), or it grew large.
        if isKnownUniquelyReferenced(&writer), writer.keptCapacity <= maximumKeptCapacity {
            writer.reset()
            idleWriters.withLock { writers in
                if writers.count < maximumIdleWriters { writers.append(writer) }
            }
        }
        return bytes
    }

    /// Writers between encodings, so that an encoding allocates little beyond its result: one per thread
    /// that encodes at the same time, up to `maximumIdleWriters`.
    private static let idleWriters = Mutex<[WireJSONWriter]>([])
    private static let maximumIdleWriters = 8
    private static let maximumKeptCapacity = 64 * 1024
}

/// Thrown (and recorded in `WireJSONWriter.gaveUp`) where the writer leaves the value to the reference.
struct LeftToReference: Error {}
