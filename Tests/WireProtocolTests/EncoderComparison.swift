import Testing
import WireProtocol

/// Comparisons of `WireJSONEncoder` with the reference encoder (`JSONEncoder`, sorted keys, unescaped slashes),
/// shared by the encoder's test suites.
enum EncoderComparison {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// `value` written by `WireJSONEncoder` itself (not handed to the reference) is byte for byte what the
    /// reference writes. Returns the bytes, for tests that also check them literally.
    @discardableResult
    static func expectSame<T: Encodable>(
        _ value: T, _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8]? {
        let reference: [UInt8]
        do {
            reference = try LineCoding.referenceEncoded(value)
        } catch {
            Issue.record("\(label): the reference threw \(error)", sourceLocation: sourceLocation)
            return nil
        }
        guard let written = WireJSONEncoder.encodeDirectly(value) else {
            Issue.record("\(label): left to the reference: \(text(reference))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(written == reference, "\(label)\n  written:   \(text(written))\n  reference: \(text(reference))",
            sourceLocation: sourceLocation)
        #expect(LineCoding.encodedData(value) == reference, "\(label): encodedData", sourceLocation: sourceLocation)
        return written
    }

    /// `value` is one the writer leaves to the reference, and what `encode` gives (bytes or an error) is then
    /// the reference's. Returns the bytes, nil where both threw.
    @discardableResult
    static func expectLeftToReference<T: Encodable>(
        _ value: T, _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8]? {
        #expect(WireJSONEncoder.encodeDirectly(value) == nil, "\(label): written without the reference",
            sourceLocation: sourceLocation)
        let reference = Result { try LineCoding.referenceEncoded(value) }
        let encoded = Result { try WireJSONEncoder.encode(value) }
        switch (encoded, reference) {
        case (.success(let encoded), .success(let reference)):
            #expect(encoded == reference, "\(label)\n  encoded:   \(text(encoded))\n  reference: \(text(reference))",
                sourceLocation: sourceLocation)
            return encoded
        case (.failure, .failure):
            #expect(LineCoding.encodedData(value) == Array("null".utf8), "\(label)", sourceLocation: sourceLocation)
            return nil
        case (.success(let encoded), .failure(let error)):
            Issue.record("\(label): encoded \(text(encoded)) where the reference threw \(error)", sourceLocation: sourceLocation)
            return nil
        case (.failure(let error), .success(let reference)):
            Issue.record("\(label): threw \(error) where the reference wrote \(text(reference))", sourceLocation: sourceLocation)
            return nil
        }
    }
}
