#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Synchronization

/// An unkeyed container's position in `codingPath`, as the reference names it.
struct EncodingIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init?(stringValue: String) { return nil }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

// MARK: - Encoder and containers

/// The encoder handed to a value's `encode(to:)`: level `id` of the writer.
struct ValueEncoder: Encoder {
    let writer: WireJSONWriter
    let id: Int

    var codingPath: [any CodingKey] { writer.codingPath(id) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(ObjectContainer<Key>(writer: writer, id: writer.openObject(id)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        ArrayContainer(writer: writer, id: writer.openArray(id))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(writer: writer, id: id)
    }
}

struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: WireJSONWriter
    let id: Int

    var codingPath: [any CodingKey] { writer.codingPath(id) }

    mutating func encodeNil(forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeNull() }
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeBool(value) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeString(value) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { try writer.writeDouble(value) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { try writer.writeFloat(value) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeInteger(Int64(value)) }
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeInteger(Int64(value)) }
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeInteger(Int64(value)) }
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeInteger(Int64(value)) }
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeDescription(value) }
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeUnsigned(UInt64(value)) }
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeUnsigned(UInt64(value)) }
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeUnsigned(UInt64(value)) }
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeUnsigned(UInt64(value)) }
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeUnsigned(value) }
    }
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue) { writer.writeDescription(value) }
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try writer.member(of: id, name: key.stringValue, key: key, value: value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = writer.openNested(in: id, name: key.stringValue, key: key, as: .object)
        return KeyedEncodingContainer(ObjectContainer<NestedKey>(writer: writer, id: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ArrayContainer(writer: writer, id: writer.openNested(in: id, name: key.stringValue, key: key, as: .array))
    }

    mutating func superEncoder() -> any Encoder { writer.superEncoderLeftToReference() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { writer.superEncoderLeftToReference() }
}

struct ArrayContainer: UnkeyedEncodingContainer {
    let writer: WireJSONWriter
    let id: Int

    var codingPath: [any CodingKey] { writer.codingPath(id) }
    var count: Int { writer.count(of: id) }

    mutating func encodeNil() throws { try writer.element(of: id) { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { try writer.element(of: id) { writer.writeBool(value) } }
    mutating func encode(_ value: String) throws { try writer.element(of: id) { writer.writeString(value) } }
    mutating func encode(_ value: Double) throws { try writer.element(of: id) { try writer.writeDouble(value) } }
    mutating func encode(_ value: Float) throws { try writer.element(of: id) { try writer.writeFloat(value) } }
    mutating func encode(_ value: Int) throws { try writer.element(of: id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int8) throws { try writer.element(of: id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int16) throws { try writer.element(of: id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int32) throws { try writer.element(of: id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int64) throws { try writer.element(of: id) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int128) throws { try writer.element(of: id) { writer.writeDescription(value) } }
    mutating func encode(_ value: UInt) throws { try writer.element(of: id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt8) throws { try writer.element(of: id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt16) throws { try writer.element(of: id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt32) throws { try writer.element(of: id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt64) throws { try writer.element(of: id) { writer.writeUnsigned(value) } }
    mutating func encode(_ value: UInt128) throws { try writer.element(of: id) { writer.writeDescription(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.element(of: id, value: value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(ObjectContainer<NestedKey>(writer: writer, id: writer.openNested(inArray: id, as: .object)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ArrayContainer(writer: writer, id: writer.openNested(inArray: id, as: .array))
    }

    mutating func superEncoder() -> any Encoder { writer.superEncoderLeftToReference() }
}

struct SingleContainer: SingleValueEncodingContainer {
    let writer: WireJSONWriter
    let id: Int

    var codingPath: [any CodingKey] { writer.codingPath(id) }

    mutating func encodeNil() throws { try writer.single(id) { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { try writer.single(id) { writer.writeBool(value) } }
    mutating func encode(_ value: String) throws { try writer.single(id) { writer.writeString(value) } }
    mutating func encode(_ value: Double) throws { try writer.single(id) { try writer.writeDouble(value) } }
    mutating func encode(_ value: Float) throws { try writer.single(id) { try writer.writeFloat(value) } }
    mutating func encode(_ value: Int) throws { try writer.single(id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int8) throws { try writer.single(id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int16) throws { try writer.single(id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int32) throws { try writer.single(id) { writer.writeInteger(Int64(value)) } }
    mutating func encode(_ value: Int64) throws { try writer.single(id) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int128) throws { try writer.single(id) { writer.writeDescription(value) } }
    mutating func encode(_ value: UInt) throws { try writer.single(id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt8) throws { try writer.single(id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt16) throws { try writer.single(id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt32) throws { try writer.single(id) { writer.writeUnsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt64) throws { try writer.single(id) { writer.writeUnsigned(value) } }
    mutating func encode(_ value: UInt128) throws { try writer.single(id) { writer.writeDescription(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.single(id, value: value) }
}
