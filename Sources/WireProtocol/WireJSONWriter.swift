#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Synchronization

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
final class WireJSONWriter: @unchecked Sendable {
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
            case .index(let number): return EncodingIndexKey(intValue: number)
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
