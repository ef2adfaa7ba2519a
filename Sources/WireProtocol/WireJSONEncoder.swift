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
private struct LeftToReference: Error {}

/// One encoding's state: the output, the containers still open, and the members of the open objects.
///
/// Values are written in place as `encode(to:)` produces them. An object's members are written in the order
/// they come, each as `"name":value`, and put in name order when the object closes (usually a copy of its
/// bytes; none when they came in order). A container is "open" from its creation until its value's
/// `encode(to:)` returns or, for a nested container, until its parent is written to again; writing to a
/// container that is no longer open (which the reference allows, since its containers are references into a
/// tree) makes the writer give up.
///
/// Its state is exempt from Swift's run-time exclusivity checks, which took a third of the time: no access to
/// it overlaps another, since user code (`encode(to:)`) is only called between the writer's own accesses.
/// It is `Sendable` for the pool of idle writers, which hands each to one encoding at a time and takes back
/// only a writer nothing else refers to.
private final class WireJSONWriter: @unchecked Sendable {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var levels: [Level] = []
    @exclusivity(unchecked) private var members: [Member] = []
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var order: [Int] = []
    @exclusivity(unchecked) private var nextID = 0
    /// Set once the writer met something it leaves to the reference; every write after it throws.
    @exclusivity(unchecked) private(set) var gaveUp = false

    /// A value being encoded or a nested container: one JSON value under construction.
    struct Level {
        enum Content { case nothing, single, object, array }

        let id: Int
        /// A value whose `encode(to:)` is running (closed when it returns), as opposed to a nested container.
        let isValue: Bool
        var content: Content
        /// Where the value's bytes begin (an object's `{`, an array's `[`).
        var start: Int
        /// An object: its first member in `members`.
        var firstMember: Int
        /// Members or elements written, for the commas (an object's repeated names count twice).
        var count: Int
        /// An object: its members so far came in strictly increasing name order.
        var inOrder: Bool
        /// An object: some name is not ASCII (see `checkNamesAreDistinctBytes`).
        var hasNonASCIIName: Bool
        /// A nested container of an object: its member, whose end is set when it closes; -1 otherwise.
        let parentMember: Int
        /// For `codingPath`.
        let key: PathKey
    }

    /// One `"name":value` of an object, at `start..<end` in `bytes`.
    struct Member {
        let name: String
        let start: Int
        var end: Int
        /// The name's UTF-8 length when it is written unescaped right after `start`'s quote; -1 when escaped.
        let plainNameLength: Int
    }

    enum PathKey {
        case none
        case key(any CodingKey)
        case index(Int)
    }

    init() {
        bytes.reserveCapacity(1024)
        levels.reserveCapacity(16)
        members.reserveCapacity(64)
        order.reserveCapacity(64)
        scratch.reserveCapacity(1024)
    }

    /// The bytes its buffers hold on to.
    var keptCapacity: Int { bytes.capacity + scratch.capacity }

    /// Ready for the next encoding, keeping the buffers.
    func reset() {
        bytes.removeAll(keepingCapacity: true)
        levels.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        nextID = 0
        gaveUp = false
    }

    // MARK: - Top level

    /// Encodes `value` into `bytes`; false where the value is left to the reference.
    func encodeTopLevel<T: Encodable>(_ value: T) -> Bool {
        do {
            guard !Self.isSpecialToReference(T.self) else { return false }
            let id = push(isValue: true, content: .nothing, parentMember: -1, key: .none)
            try value.encode(to: ValueEncoder(writer: self, id: id))
            let index = try reach(id)
            // The reference refuses a top-level value that wrote nothing.
            guard levels[index].content != .nothing else { return false }
            try closeLevels(above: index)
            try closeTop()
            return !gaveUp
        } catch {
            return false
        }
    }

    // MARK: - Levels

    private func giveUp() -> LeftToReference {
        gaveUp = true
        return LeftToReference()
    }

    private func push(isValue: Bool, content: Level.Content, parentMember: Int, key: PathKey) -> Int {
        nextID += 1
        levels.append(Level(
            id: nextID, isValue: isValue, content: content, start: bytes.count, firstMember: members.count, count: 0,
            inOrder: true, hasNonASCIIName: false, parentMember: parentMember, key: key))
        return nextID
    }

    /// The index of level `id`, made the innermost open level by closing the nested containers above it.
    /// Throws where `id` is closed, or where a value still being encoded is above it.
    @inline(__always)
    private func reach(_ id: Int) throws -> Int {
        let top = levels.count - 1
        if top >= 0, levels[top].id == id, !gaveUp { return top }
        return try reachBelowTop(id)
    }

    @inline(never)
    private func reachBelowTop(_ id: Int) throws -> Int {
        guard !gaveUp, let index = levels.lastIndex(where: { $0.id == id }) else { throw giveUp() }
        try closeLevels(above: index)
        return index
    }

    /// Closes the nested containers above `index`; a value still being encoded there makes the writer give up.
    private func closeLevels(above index: Int) throws {
        while levels.count - 1 > index {
            guard !levels[levels.count - 1].isValue else { throw giveUp() }
            try closeTop()
        }
    }

    /// Finishes the innermost level's bytes and removes it.
    private func closeTop() throws {
        try finishContent(levels.count - 1)
        let level = levels.removeLast()
        if level.parentMember >= 0 { members[level.parentMember].end = bytes.count }
    }

    /// Finishes the bytes of the innermost level, `index`: a value that wrote nothing is `{}` (the reference's
    /// empty object), an array gets its `]`, an object its members in name order and its `}`.
    private func finishContent(_ index: Int) throws {
        switch levels[index].content {
        case .nothing: bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .single: break
        case .array: bytes.append(UInt8(ascii: "]"))
        case .object: try finishObject(index)
        }
    }

    /// For a single-value container's generic value, encoded into the level itself (as the reference encodes
    /// it into the same encoder): finishes what it wrote and seals the level as one value.
    private func seal(_ id: Int) throws {
        let index = try reach(id)
        try finishContent(index)
        levels[index].content = .single
    }

    /// `value` encoded as a level of its own (a member's or an element's value), closed when it returns.
    private func writeNested<T: Encodable>(_ value: T, key: PathKey) throws {
        if try writeScalar(value) { return }
        guard !Self.isSpecialToReference(T.self) else { throw giveUp() }
        guard levels.count < WireJSONEncoder.maximumDepth else { throw giveUp() }
        let id = push(isValue: true, content: .nothing, parentMember: -1, key: key)
        try value.encode(to: ValueEncoder(writer: self, id: id))
        let index = try reach(id)
        try closeLevels(above: index)
        try closeTop()
    }

    // MARK: - Containers

    /// The level `id` as an object, for `container(keyedBy:)`; -1 (every write throws) where it cannot be one.
    func openObject(_ id: Int) -> Int { open(id, as: .object) }

    /// The level `id` as an array, for `unkeyedContainer()`; -1 where it cannot be one.
    func openArray(_ id: Int) -> Int { open(id, as: .array) }

    /// The level `id` as `container` (`.object` or `.array`): the one it already is, or a new one on the innermost
    /// level while nothing is written there; -1 otherwise.
    private func open(_ id: Int, as container: Level.Content) -> Int {
        guard !gaveUp, let index = levels.lastIndex(where: { $0.id == id }) else { return openFailed() }
        switch levels[index].content {
        case container:
            return id
        case .nothing where index == levels.count - 1:
            startContainer(index, container)
            return id
        default:
            // Re-opened after a value or as the other kind: the reference merges or stops; it decides.
            return openFailed()
        }
    }

    private func startContainer(_ index: Int, _ content: Level.Content) {
        levels[index].content = content
        levels[index].start = bytes.count
        levels[index].firstMember = members.count
        bytes.append(content == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    private func openFailed() -> Int {
        gaveUp = true
        return -1
    }

    /// A nested object or array as the member `name` of object `id`; -1 where the writer gives up.
    func openNested(in id: Int, name: String, key: any CodingKey, as content: Level.Content) -> Int {
        do {
            let index = try reach(id)
            guard levels.count < WireJSONEncoder.maximumDepth else { throw giveUp() }
            // The reference hands back (and merges into) the container already under that name.
            let first = levels[index].firstMember
            guard !members[first...].contains(where: { $0.name == name }) else { throw giveUp() }
            let member = beginMember(index, name: name)
            let memberIndex = endMember(index, member)
            let nested = push(isValue: false, content: content, parentMember: memberIndex, key: .key(key))
            bytes.append(content == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
            return nested
        } catch {
            return -1
        }
    }

    /// A nested object or array as the next element of array `id`; -1 where the writer gives up.
    func openNested(inArray id: Int, as content: Level.Content) -> Int {
        do {
            let index = try reach(id)
            guard levels.count < WireJSONEncoder.maximumDepth else { throw giveUp() }
            let position = beginElement(index)
            let nested = push(isValue: false, content: content, parentMember: -1, key: .index(position))
            bytes.append(content == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
            return nested
        } catch {
            return -1
        }
    }

    func superEncoderLeftToReference() -> ValueEncoder {
        gaveUp = true
        return ValueEncoder(writer: self, id: -1)
    }

    // MARK: - Objects

    struct PendingMember {
        let name: String
        let start: Int
        let plainNameLength: Int
    }

    /// Writes `"name":` for the next member of object `index` (the innermost level).
    private func beginMember(_ index: Int, name: String) -> PendingMember {
        if levels[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        levels[index].count += 1
        let start = bytes.count
        let (plainLength, isASCII) = writeName(name)
        if !isASCII { levels[index].hasNonASCIIName = true }
        bytes.append(UInt8(ascii: ":"))
        return PendingMember(name: name, start: start, plainNameLength: plainLength)
    }

    /// Records the member begun by `beginMember` once its value is written; returns its index in `members`.
    @discardableResult
    private func endMember(_ index: Int, _ pending: PendingMember) -> Int {
        members.append(Member(name: pending.name, start: pending.start, end: bytes.count, plainNameLength: pending.plainNameLength))
        let last = members.count - 1
        if levels[index].inOrder, last > levels[index].firstMember {
            levels[index].inOrder = bytes.withUnsafeBufferPointer { compareNames(members[last - 1], members[last], $0) < 0 }
        }
        return last
    }

    func member(of id: Int, name: String, write: () throws -> Void) throws {
        let index = try reach(id)
        let pending = beginMember(index, name: name)
        try write()
        endMember(index, pending)
    }

    func member<T: Encodable>(of id: Int, name: String, key: any CodingKey, value: T) throws {
        let index = try reach(id)
        let pending = beginMember(index, name: name)
        try writeNested(value, key: .key(key))
        endMember(index, pending)
    }

    /// Puts the members of object `index` (the innermost level) in name order, keeping a repeated name's last
    /// value, and closes it.
    private func finishObject(_ index: Int) throws {
        let level = levels[index]
        let first = level.firstMember
        defer { members.removeSubrange(first...) }
        if level.hasNonASCIIName { try checkNamesAreDistinctBytes(first) }
        if level.inOrder {
            bytes.append(UInt8(ascii: "}"))
            return
        }
        // A stable insertion sort (objects are small), then the last of each run of equal names.
        order.removeAll(keepingCapacity: true)
        bytes.withUnsafeBufferPointer { buffer in
            for candidate in first..<members.count {
                var position = order.count
                order.append(candidate)
                while position > 0, compareNames(members[order[position - 1]], members[candidate], buffer) > 0 {
                    order[position] = order[position - 1]
                    position -= 1
                }
                order[position] = candidate
            }
            var kept = 0
            for position in order.indices {
                let isRepeated = position + 1 < order.count
                    && compareNames(members[order[position]], members[order[position + 1]], buffer) == 0
                if !isRepeated {
                    order[kept] = order[position]
                    kept += 1
                }
            }
            order.removeLast(order.count - kept)
        }
        let contentStart = level.start + 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[contentStart...])
        bytes.removeSubrange(contentStart...)
        scratch.withUnsafeBufferPointer { written in
            for position in order.indices {
                let member = members[order[position]]
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: written[(member.start - contentStart)..<(member.end - contentStart)]))
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The reference keeps members in a `[String: _]`, where names equal by Swift's `String` equality (canonical
    /// equivalence: "é" composed and decomposed, "K" and the Kelvin sign) are one member under the first spelling;
    /// this writer orders and merges by bytes, so such names are left to the reference.
    private func checkNamesAreDistinctBytes(_ first: Int) throws {
        let names = members[first...]
        for (offset, name) in zip(names.indices, names) {
            for other in names[(offset + 1)...] where other.name == name.name && !other.name.utf8.elementsEqual(name.name.utf8) {
                throw giveUp()
            }
        }
    }

    /// The order of two names: by their UTF-8 bytes (`buffer` is `bytes`, which holds the plain names).
    private func compareNames(_ a: Member, _ b: Member, _ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        if a.plainNameLength >= 0, b.plainNameLength >= 0 {
            let aStart = a.start + 1
            let bStart = b.start + 1
            let shared = min(a.plainNameLength, b.plainNameLength)
            for step in 0..<shared {
                let x = buffer[aStart + step]
                let y = buffer[bStart + step]
                if x != y { return x < y ? -1 : 1 }
            }
            return a.plainNameLength == b.plainNameLength ? 0 : (a.plainNameLength < b.plainNameLength ? -1 : 1)
        }
        if a.name.utf8.elementsEqual(b.name.utf8) { return 0 }
        return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) ? -1 : 1
    }

    // MARK: - Arrays

    /// Writes the comma before the next element of array `index`; returns the element's position.
    private func beginElement(_ index: Int) -> Int {
        let position = levels[index].count
        if position > 0 { bytes.append(UInt8(ascii: ",")) }
        levels[index].count = position + 1
        return position
    }

    func element(of id: Int, write: () throws -> Void) throws {
        let index = try reach(id)
        _ = beginElement(index)
        try write()
    }

    func element<T: Encodable>(of id: Int, value: T) throws {
        let index = try reach(id)
        let position = beginElement(index)
        try writeNested(value, key: .index(position))
    }

    func count(of id: Int) -> Int {
        levels.last(where: { $0.id == id })?.count ?? 0
    }

    // MARK: - Single values

    func single(_ id: Int, write: () throws -> Void) throws {
        let index = try reach(id)
        guard levels[index].content == .nothing else { throw giveUp() }
        levels[index].content = .single
        try write()
    }

    func single<T: Encodable>(_ id: Int, value: T) throws {
        let index = try reach(id)
        guard levels[index].content == .nothing else { throw giveUp() }
        if try writeScalar(value) {
            levels[index].content = .single
            return
        }
        guard !Self.isSpecialToReference(T.self) else { throw giveUp() }
        // The reference encodes it into the same encoder; a value that writes nothing is `{}` here too.
        try value.encode(to: ValueEncoder(writer: self, id: id))
        try seal(id)
    }

    // MARK: - Coding path

    /// The reference's coding path at level `id`. Its value encoders carry their owner's path and their own key,
    /// so a value inside a nested container has the path of the value that made the container and its own key,
    /// without the nested containers' keys; a nested container's own path has them.
    func codingPath(_ id: Int) -> [any CodingKey] {
        guard let index = levels.lastIndex(where: { $0.id == id }) else { return [] }
        let lastValue = levels[...index].lastIndex(where: \.isValue) ?? -1
        return levels[...index].indices.compactMap { position in
            guard levels[position].isValue || position > lastValue else { return nil }
            switch levels[position].key {
            case .none: return nil
            case .key(let key): return key
            case .index(let number): return IndexKey(intValue: number)
            }
        }
    }

    // MARK: - Scalars

    /// The reference encodes these its own way (`Date` by its strategy, `Data` as Base64, `URL` as its
    /// absolute string, `Decimal` as its description), by a cast that also sees through `Optional`; an
    /// `Optional`'s own `encode(to:)` hands its wrapped value back here, so checking `T` catches those too.
    static func isSpecialToReference<T>(_ type: T.Type) -> Bool {
        type == Date.self || type == Data.self || type == URL.self || type == Decimal.self
    }

    /// Writes `value` when it is a JSON scalar type; false for any other type.
    @inline(__always)
    private func writeScalar<T: Encodable>(_ value: T) throws -> Bool {
        switch JSONText.appendScalar(value, to: &bytes) {
        case .written: return true
        case .notScalar: return false
        case .notFinite: throw giveUp()
        }
    }

    func writeNull() { JSONText.appendNull(to: &bytes) }
    func writeBool(_ value: Bool) { JSONText.appendBool(value, to: &bytes) }
    func writeInteger(_ value: Int64) { JSONText.appendInteger(value, to: &bytes) }
    func writeUnsigned(_ value: UInt64) { JSONText.appendUnsigned(value, to: &bytes) }
    func writeDescription(_ value: some BinaryInteger) { bytes.append(contentsOf: value.description.utf8) }
    func writeString(_ string: String) { JSONText.appendString(string, to: &bytes) }

    func writeDouble(_ value: Double) throws {
        guard JSONText.appendDouble(value, to: &bytes) else { throw giveUp() }
    }

    func writeFloat(_ value: Float) throws {
        guard JSONText.appendFloat(value, to: &bytes) else { throw giveUp() }
    }

    /// Writes a member name; returns its plain length (-1 where it needed an escape) and whether it is ASCII.
    private func writeName(_ name: String) -> (plainLength: Int, isASCII: Bool) {
        JSONText.appendString(name, to: &bytes)
    }
}

/// JSON scalars as the reference writes them.
private enum JSONText {
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

/// An unkeyed container's position in `codingPath`, as the reference names it.
private struct IndexKey: CodingKey {
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
private struct ValueEncoder: Encoder {
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

private struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
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

private struct ArrayContainer: UnkeyedEncodingContainer {
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

private struct SingleContainer: SingleValueEncodingContainer {
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
