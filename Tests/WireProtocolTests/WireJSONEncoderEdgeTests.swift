import Foundation
import Testing
import WireProtocol

/// The corners of JSON encoding where `WireJSONEncoder` must match the reference encoder (`JSONEncoder`,
/// sorted keys, unescaped slashes) as it behaves on this machine: each case is compared with the reference,
/// and the rules docs/PROTOCOL.md "Encoding" states are also checked against literal bytes, so that a
/// behaviour both encoders share cannot change unnoticed.
@Suite struct WireJSONEncoderEdgeTests {
    private typealias Compare = EncoderComparison

    private func expectBytes<T: Encodable>(_ value: T, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let written = Compare.expectSame(value, expected, sourceLocation: sourceLocation)
        #expect(written.map(Compare.text) == expected, sourceLocation: sourceLocation)
    }

    // MARK: - Member order

    @Test func membersComeInTheByteOrderOfTheirNames() {
        // Upper case before lower, digit by digit ("a10" before "a2"), non-ASCII by its UTF-8 bytes (é is C3 A9,
        // the Kelvin sign E2 84 AA).
        expectBytes(
            ["B": 1, "a": 2, "a10": 3, "a2": 4, "Z": 5, "é": 6, "z": 7, "_": 8, "\u{212A}": 9, "": 10, "a ": 11],
            #"{"":10,"B":1,"Z":5,"_":8,"a":2,"a ":11,"a10":3,"a2":4,"z":7,"é":6,"\#u{212A}":9}"#)
        // A name that needs escapes sorts by its own bytes, not its escaped text.
        expectBytes(["a\"b": 1, "a\nb": 2, "a\\": 3, "\u{1}": 4, "a/": 5], #"{"\u0001":4,"a\nb":2,"a\"b":1,"a/":5,"a\\":3}"#)
        // A prefix before its extensions; a longer object than any struct.
        let many = Dictionary(uniqueKeysWithValues: (0..<200).map { ("k\($0)", $0) })
        Compare.expectSame(many, "200 members")
        Compare.expectSame(["ab": 1, "a": 2, "abc": 3, "b": 4], "prefixes")
    }

    @Test func membersWrittenInOrderStayInOrder() {
        expectBytes(Members([("a", 1), ("b", 2), ("c", 3)]), #"{"a":1,"b":2,"c":3}"#)
        expectBytes(Members([("c", 1), ("b", 2), ("a", 3)]), #"{"a":3,"b":2,"c":1}"#)
    }

    @Test func aNameWrittenTwiceKeepsItsLastValue() {
        expectBytes(Members([("a", 1), ("b", 2), ("a", 3)]), #"{"a":3,"b":2}"#)
        expectBytes(Members([("b", 1), ("a", 2), ("b", 3), ("b", 4)]), #"{"a":2,"b":4}"#)
        expectBytes(Members([("a\"", 1), ("a\"", 2)]), #"{"a\"":2}"#)
    }

    @Test func namesThatStringEqualityMergesAreLeftToTheReference() {
        // "é" composed and decomposed, "K" and the Kelvin sign: one member for the reference's dictionary.
        #expect(Compare.expectLeftToReference(Members([("é", 1), ("e\u{301}", 2)])).map(Compare.text) == #"{"é":2}"#)
        Compare.expectLeftToReference(Members([("K", 1), ("a", 2), ("\u{212A}", 3)]))
        // Distinct non-ASCII names are the writer's own.
        Compare.expectSame(Members([("é", 1), ("日本", 2), ("😀", 3), ("e", 4)]))
    }

    // MARK: - Numbers

    @Test func doublesAreTheShortestTextWithoutATrailingPointZero() {
        expectBytes([0.0, -0.0, 1, -1, 98, 97.5, 0.1, 1e-4, 1e-5, 1e15, 1e16, 1e21, 2.5e-308] as [Double],
            "[0,-0,1,-1,98,97.5,0.1,0.0001,1e-05,1000000000000000,1e+16,1e+21,2.5e-308]")
        expectBytes([9_007_199_254_740_991, 9_007_199_254_740_992, 9_007_199_254_740_994, 18_014_398_509_481_984] as [Double],
            "[9007199254740991,9007199254740992,9.007199254740994e+15,1.8014398509481984e+16]")
        let corners: [Double] = [
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, .ulpOfOne,
            1 / 3.0, -2 / 3.0, 123_456_789.123_456_789, 0.000_123_456_789, 4_503_599_627_370_496.5, 1e22, 1e23, -.leastNonzeroMagnitude,
            Double(Int64.max), Double(Int64.min), 100, 1e2, 0.5, 1.5e300, -1.5e-300,
        ]
        Compare.expectSame(corners, "corners")
        for value in corners { Compare.expectSame(value, "\(value) alone") }
        // Through every container kind.
        Compare.expectSame(Members([("x", 1)], double: -0.0), "keyed -0")
        Compare.expectSame(JSONValue.object(["d": .number(1e16), "n": .number(-0.0)]), "JSONValue numbers")
    }

    @Test func floatsAsTheReferenceWritesThem() {
        expectBytes([0, -0.0, 1.1, 3, 16_777_216, Float(16_777_217 as Int), 1e10, 0.1] as [Float], "[0,-0,1.1,3,16777216,16777216,1e+10,0.1]")
        Compare.expectSame([.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, 1 / 3, 33_554_432] as [Float])
    }

    @Test func nanAndInfinityAreRefusedAsTheReferenceRefusesThem() {
        for value in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            #expect(throws: EncodingError.self) { try WireJSONEncoder.encode(value) }
            Compare.expectLeftToReference(value, "\(value)")
            Compare.expectLeftToReference([1, value], "\(value) in an array")
            Compare.expectLeftToReference(["x": value], "\(value) in an object")
            Compare.expectLeftToReference(JSONValue.array([.number(value)]), "\(value) in a JSONValue")
            #expect(LineCoding.encodedData(VitalData(parameter: .spo2, value: value, flags: [], time: .init(epochMilliseconds: 0)))
                == Array("null".utf8))
        }
        Compare.expectLeftToReference(Float.nan)
        Compare.expectLeftToReference([Float.infinity])
    }

    @Test func integersAtTheirExtremes() {
        expectBytes([Int64.min, Int64.max, 0, -1], "[-9223372036854775808,9223372036854775807,0,-1]")
        expectBytes(UInt64.max, "18446744073709551615")
        Compare.expectSame([Int.min, Int.max])
        Compare.expectSame([Int8.min, Int8.max])
        Compare.expectSame([Int16.min, Int16.max])
        Compare.expectSame([Int32.min, Int32.max])
        Compare.expectSame([UInt8.max, 0])
        Compare.expectSame([UInt16.max])
        Compare.expectSame([UInt32.max])
        Compare.expectSame([UInt.max])
        Compare.expectSame([Int128.min, Int128.max])
        Compare.expectSame([UInt128.max])
        Compare.expectSame(Scalars(), "every scalar through keyed, unkeyed and single-value containers")
    }

    // MARK: - Strings

    @Test func stringsEscapeAsTheReferenceDoes() {
        expectBytes("quote\" backslash\\ slash/", #""quote\" backslash\\ slash/""#)
        expectBytes("\u{8}\u{9}\u{A}\u{C}\u{D}", #""\b\t\n\f\r""#)
        expectBytes("\u{0}\u{1}\u{7}\u{B}\u{E}\u{F}\u{10}\u{1A}\u{1F}", #""\u0000\u0001\u0007\u000b\u000e\u000f\u0010\u001a\u001f""#)
        expectBytes("\u{7F}\u{2028}\u{2029}é日本😀e\u{301}", "\"\u{7F}\u{2028}\u{2029}é日本😀e\u{301}\"")
        expectBytes("", #""""#)
        let everyScalarBelow256 = String(String.UnicodeScalarView((0...255).compactMap(Unicode.Scalar.init)))
        Compare.expectSame(everyScalarBelow256, "U+0000 to U+00FF")
        Compare.expectSame([everyScalarBelow256: everyScalarBelow256], "as a name too")
        Compare.expectSame(String(repeating: "long text without escapes ", count: 400), "long")
        Compare.expectSame(String(repeating: "\"\\\n", count: 400), "long, all escapes")
        Compare.expectSame(WireTypeEncodingTests.everyEscape, "every escape class")
    }

    @Test func aStringsBytesAreItsOwnEvenWhenBridged() {
        // Text that comes out of Foundation's NSString.
        let fromFoundation = NSString(string: "a\"b 5/日本").appending("\n")
        expectBytes(fromFoundation, #""a\"b 5/日本\n""#)
    }

    // MARK: - Absent values, empty containers, nothing at all

    @Test func absentOptionalsAreLeftOutAndExplicitNilsAreNull() {
        expectBytes(Optionals(), #"{"explicit":null,"nested":null}"#)
        expectBytes(Optionals(present: 1), #"{"explicit":null,"nested":null,"present":1}"#)
        expectBytes([1, nil, 3] as [Int?], "[1,null,3]")
        expectBytes(Int?.none, "null")
        expectBytes(Int??.some(.none), "null")
        expectBytes(["a": nil, "b": 2] as [String: Int?], #"{"a":null,"b":2}"#)
    }

    @Test func emptyContainers() {
        expectBytes(EmptyResult(), "{}")
        expectBytes([Int](), "[]")
        expectBytes([String: Int](), "{}")
        expectBytes([[Int]](arrayLiteral: [], []), "[[],[]]")
        expectBytes(JSONValue.object(["a": .object([:]), "b": .array([])]), #"{"a":{},"b":[]}"#)
        expectBytes(Nested(style: .emptyNested), #"{"list":[],"object":{}}"#)
    }

    @Test func aValueThatWritesNothingIsAnEmptyObjectInsideAndRefusedAtTheTop() {
        expectBytes([Nothing()], "[{}]")
        expectBytes(["k": Nothing()], #"{"k":{}}"#)
        expectBytes(SingleWrapper(inner: Nothing()), "{}")
        Compare.expectLeftToReference(Nothing(), "top level")
        #expect(throws: EncodingError.self) { try WireJSONEncoder.encode(Nothing()) }
        #expect(LineCoding.encodedData(Nothing()) == Array("null".utf8))
        #expect(throws: EncodingError.self) { try LineCoding.encodeLine(Nothing()) }
    }

    // MARK: - Scalars and dictionaries at any level

    @Test func topLevelScalars() {
        expectBytes("x/y", #""x/y""#)
        expectBytes(true, "true")
        expectBytes(false, "false")
        expectBytes(42, "42")
        expectBytes(2.5, "2.5")
        expectBytes(Float(2.5), "2.5")
        expectBytes(Int8(-8), "-8")
        expectBytes(JSONValue.null, "null")
        expectBytes(JSONValue.string("s"), #""s""#)
        #expect(LineCoding.jsonString("a\"b") == Array(#""a\"b""#.utf8))
    }

    @Test func dictionariesByTheirKeyType() {
        expectBytes([3: "a", 10: "b", 2: "c", -1: "d"], #"{"-1":"d","10":"b","2":"c","3":"a"}"#)
        expectBytes([Side.right: 1, Side.left: 2], #"{"left":2,"right":1}"#)
        // Keys that are neither strings, integers nor CodingKeyRepresentable: an array of key, value, key, value.
        expectBytes([Point(x: 1): "p"], #"[{"x":1},"p"]"#)
    }

    // MARK: - Containers

    @Test func nestedContainersWrittenInTurn() {
        expectBytes(Nested(style: .inTurn), #"{"a":0,"list":[1,{"deep":[true]},[2]],"object":{"x":"1","y":[]},"z":3}"#)
        // The parent written to while a nested container is open closes it; the next write goes after it.
        expectBytes(Nested(style: .interleaved), #"{"a":2,"list":[1],"object":{"x":"1"}}"#)
    }

    @Test func containersTheReferenceMergesOrRevisitsAreLeftToIt() {
        #expect(Compare.expectLeftToReference(Nested(style: .writtenAfterParent)).map(Compare.text) == #"{"a":2,"list":[1,3]}"#)
        #expect(Compare.expectLeftToReference(Nested(style: .sameNameTwice)).map(Compare.text) == #"{"object":{"x":"1","y":"2"}}"#)
        Compare.expectLeftToReference(Nested(style: .superEncoder))
        Compare.expectLeftToReference(Nested(style: .superEncoderForKey))
        Compare.expectLeftToReference(Nested(style: .unkeyedSuperEncoder))
        Compare.expectLeftToReference(Nested(style: .singleThenKeyed))
        #expect(Compare.expectLeftToReference(Nested(style: .keyedThenSingle)).map(Compare.text) == #"{"a":1}"#)
    }

    @Test func oneObjectFromTwoEncodeCallsOnOneEncoder() {
        // As the daemon's `library` result writes the library's members and its own into one object.
        expectBytes(Merged(), #"{"a":1,"b":"two","c":3,"d":[4]}"#)
        // A single-value container's value is written into the same encoder, as the reference writes it.
        expectBytes(SingleWrapper(inner: Merged()), #"{"a":1,"b":"two","c":3,"d":[4]}"#)
        expectBytes([SingleWrapper(inner: SingleWrapper(inner: 5))], "[5]")
    }

    @Test func codingPathsAreTheReferencesOwn() throws {
        let written = PathLog()
        _ = try #require(WireJSONEncoder.encodeDirectly(PathRecorder(log: written, depth: 2)))
        let reference = PathLog()
        _ = try LineCoding.referenceEncoded(PathRecorder(log: reference, depth: 2))
        #expect(!reference.paths.isEmpty)
        #expect(written.paths == reference.paths)
    }

    // MARK: - What the reference treats specially

    @Test func typesTheReferenceTreatsSpeciallyAreLeftToIt() {
        #expect(Compare.expectLeftToReference(Data([1, 2, 3])).map(Compare.text) == #""AQID""#)
        #expect(Compare.expectLeftToReference([Data?.some(Data([1, 2]))]).map(Compare.text) == #"["AQI="]"#)
        Compare.expectLeftToReference(Date(timeIntervalSinceReferenceDate: 1.5))
        Compare.expectLeftToReference(["when": Date(timeIntervalSince1970: 0)])
        #expect(Compare.expectLeftToReference(URL(string: "https://example.org/a b")).map(Compare.text) != nil)
        #expect(Compare.expectLeftToReference([Decimal(string: "1.50")!]).map(Compare.text) == "[1.5]")
        Compare.expectLeftToReference(Special())
    }

    @Test func deepNestingIsLeftToTheReferenceBeforeItsBound() {
        func nested(_ depth: Int) -> JSONValue {
            (0..<depth).reduce(JSONValue.integer(1)) { inner, level in level.isMultiple(of: 2) ? .array([inner]) : .object(["k": inner]) }
        }
        Compare.expectSame(nested(100), "100 deep")
        Compare.expectSame(nested(WireJSONEncoder.maximumDepth - 2), "just within")
        Compare.expectLeftToReference(nested(WireJSONEncoder.maximumDepth + 5), "beyond, where the reference still writes")
        Compare.expectLeftToReference(nested(520), "beyond the reference's own bound")
    }
}

// MARK: - Types for the edge cases

/// Writes its pairs in the order given, as members of one object (names may repeat); with `double`, one more.
private struct Members: Encodable {
    struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var pairs: [(String, Int)]
    var double: Double?

    init(_ pairs: [(String, Int)], double: Double? = nil) {
        self.pairs = pairs
        self.double = double
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        for (name, value) in pairs { try container.encode(value, forKey: Name(stringValue: name)) }
        try container.encodeIfPresent(double, forKey: Name(stringValue: "double"))
    }
}

private struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

private struct Optionals: Encodable {
    var present: Int?
    var absent: Int?

    enum CodingKeys: String, CodingKey { case present, absent, explicit, nested }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(present, forKey: .present)
        try container.encodeIfPresent(absent, forKey: .absent)
        try container.encodeNil(forKey: .explicit)
        try container.encode(absent, forKey: .nested)
    }
}

/// Every scalar type through every container kind.
private struct Scalars: Encodable {
    enum CodingKeys: String, CodingKey {
        case bool, string, double, float, int, int8, int16, int32, int64, int128, uint, uint8, uint16, uint32, uint64, uint128, list, single
    }

    func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(true, forKey: .bool)
        try keyed.encode("s\"", forKey: .string)
        try keyed.encode(-2.5e-7, forKey: .double)
        try keyed.encode(Float(-2.5e-7), forKey: .float)
        try keyed.encode(Int.min, forKey: .int)
        try keyed.encode(Int8.min, forKey: .int8)
        try keyed.encode(Int16.min, forKey: .int16)
        try keyed.encode(Int32.min, forKey: .int32)
        try keyed.encode(Int64.min, forKey: .int64)
        try keyed.encode(Int128.min, forKey: .int128)
        try keyed.encode(UInt.max, forKey: .uint)
        try keyed.encode(UInt8.max, forKey: .uint8)
        try keyed.encode(UInt16.max, forKey: .uint16)
        try keyed.encode(UInt32.max, forKey: .uint32)
        try keyed.encode(UInt64.max, forKey: .uint64)
        try keyed.encode(UInt128.max, forKey: .uint128)
        var list = keyed.nestedUnkeyedContainer(forKey: .list)
        try list.encode(false)
        try list.encode("t")
        try list.encode(1e300)
        try list.encode(Float(0.25))
        try list.encode(Int.max)
        try list.encode(Int8.max)
        try list.encode(Int16.max)
        try list.encode(Int32.max)
        try list.encode(Int64.max)
        try list.encode(Int128.max)
        try list.encode(UInt.min)
        try list.encode(UInt8.min)
        try list.encode(UInt16.min)
        try list.encode(UInt32.min)
        try list.encode(UInt64.min)
        try list.encode(UInt128.min)
        try list.encodeNil()
        try keyed.encode(
            [SingleScalar(value: .bool), SingleScalar(value: .string), SingleScalar(value: .double), SingleScalar(value: .float),
             SingleScalar(value: .int), SingleScalar(value: .int8), SingleScalar(value: .int16), SingleScalar(value: .int32),
             SingleScalar(value: .int64), SingleScalar(value: .int128), SingleScalar(value: .uint), SingleScalar(value: .uint8),
             SingleScalar(value: .uint16), SingleScalar(value: .uint32), SingleScalar(value: .uint64), SingleScalar(value: .uint128),
             SingleScalar(value: .null)],
            forKey: .single)
    }
}

private struct SingleScalar: Encodable {
    enum Kind { case bool, string, double, float, int, int8, int16, int32, int64, int128, uint, uint8, uint16, uint32, uint64, uint128, null }

    var value: Kind

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch value {
        case .bool: try single.encode(false)
        case .string: try single.encode("\u{1}")
        case .double: try single.encode(-0.0)
        case .float: try single.encode(Float(1e-3))
        case .int: try single.encode(-7)
        case .int8: try single.encode(Int8(-8))
        case .int16: try single.encode(Int16(-16))
        case .int32: try single.encode(Int32(-32))
        case .int64: try single.encode(Int64(-64))
        case .int128: try single.encode(Int128(-128))
        case .uint: try single.encode(UInt(7))
        case .uint8: try single.encode(UInt8(8))
        case .uint16: try single.encode(UInt16(16))
        case .uint32: try single.encode(UInt32(32))
        case .uint64: try single.encode(UInt64(64))
        case .uint128: try single.encode(UInt128(128))
        case .null: try single.encodeNil()
        }
    }
}

/// Nested containers used in the ways the reference supports.
private struct Nested: Encodable {
    enum Style {
        case inTurn, interleaved, emptyNested, writtenAfterParent, sameNameTwice, superEncoder, superEncoderForKey, unkeyedSuperEncoder
        case singleThenKeyed, keyedThenSingle
    }

    enum CodingKeys: String, CodingKey { case z, list, object, a }
    enum InnerKeys: String, CodingKey { case y, x, deep }

    var style: Style

    func encode(to encoder: any Encoder) throws {
        switch style {
        case .inTurn:
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(3, forKey: .z)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var inner = list.nestedContainer(keyedBy: InnerKeys.self)
            var deep = inner.nestedUnkeyedContainer(forKey: .deep)
            try deep.encode(true)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(2)
            var object = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .object)
            _ = object.nestedUnkeyedContainer(forKey: .y)
            try object.encode("1", forKey: .x)
            try container.encode(0, forKey: .a)
        case .interleaved:
            var container = encoder.container(keyedBy: CodingKeys.self)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var object = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .object)
            try object.encode("1", forKey: .x)
            try container.encode(2, forKey: .a)
        case .emptyNested:
            var container = encoder.container(keyedBy: CodingKeys.self)
            _ = container.nestedUnkeyedContainer(forKey: .list)
            _ = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .object)
        case .writtenAfterParent:
            var container = encoder.container(keyedBy: CodingKeys.self)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try container.encode(2, forKey: .a)
            try list.encode(3)
        case .sameNameTwice:
            var container = encoder.container(keyedBy: CodingKeys.self)
            var first = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .object)
            try first.encode("1", forKey: .x)
            var second = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .object)
            try second.encode("2", forKey: .y)
        case .superEncoder:
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .a)
            try Merged().encode(to: container.superEncoder())
        case .superEncoderForKey:
            var container = encoder.container(keyedBy: CodingKeys.self)
            try Merged().encode(to: container.superEncoder(forKey: .object))
        case .unkeyedSuperEncoder:
            var list = encoder.unkeyedContainer()
            try list.encode(1)
            try Merged().encode(to: list.superEncoder())
            try list.encode(2)
        case .singleThenKeyed:
            var single = encoder.singleValueContainer()
            try single.encode(["x": 1])
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(2, forKey: .a)
        case .keyedThenSingle:
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .a)
            var single = encoder.singleValueContainer()
            try single.encode(2)
        }
    }
}

/// Two `encode(to:)` calls on one encoder that both ask for its keyed container.
private struct Merged: Encodable {
    private struct First: Encodable {
        enum CodingKeys: String, CodingKey { case c, a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(3, forKey: .c)
            try container.encode(1, forKey: .a)
        }
    }

    enum CodingKeys: String, CodingKey { case d, b }

    func encode(to encoder: any Encoder) throws {
        try First().encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode([4], forKey: .d)
        try container.encode("two", forKey: .b)
    }
}

private struct SingleWrapper<Inner: Encodable>: Encodable {
    var inner: Inner
    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(inner)
    }
}

private enum Side: String, Codable, CodingKeyRepresentable {
    case left, right
}

private struct Point: Codable, Hashable {
    var x: Int
}

private struct Special: Encodable {
    var name = "n"
    var data = Data([0xFF])
}

/// The coding paths an encoder shows, as text.
private final class PathLog {
    var paths: [String] = []
}

/// Records the coding path of its encoder and containers at each level.
private struct PathRecorder: Encodable {
    enum CodingKeys: String, CodingKey { case child, list, nested }

    let log: PathLog
    let depth: Int

    private func record(_ place: String, _ path: [any CodingKey]) {
        log.paths.append(place + ": " + path.map { "\($0.stringValue)/\($0.intValue.map(String.init) ?? "-")" }.joined(separator: "."))
    }

    func encode(to encoder: any Encoder) throws {
        record("encoder", encoder.codingPath)
        var container = encoder.container(keyedBy: CodingKeys.self)
        record("keyed", container.codingPath)
        guard depth > 0 else { return }
        try container.encode(PathRecorder(log: log, depth: depth - 1), forKey: .child)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        record("unkeyed", list.codingPath)
        try list.encode(1)
        try list.encode(PathRecorder(log: log, depth: depth - 1))
        var nested = list.nestedContainer(keyedBy: CodingKeys.self)
        record("nested", nested.codingPath)
        try nested.encode(["k": PathRecorder(log: log, depth: 0)], forKey: .nested)
    }
}
