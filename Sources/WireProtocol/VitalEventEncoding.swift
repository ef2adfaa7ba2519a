/// A `vital` event's data written by hand: every reading of every chair is one, several a second all day, each
/// encoded on the port reader's thread with caches gone cold since the last, where the generic encoder's path
/// through `Encodable` cost about 20 µs a reading against a few µs warm (issue 21 item 3, docs/PERFORMANCE.md).
extension ChairEventData where Detail == VitalData {
    /// The JSON `LineCoding.encodedData` writes for this value, byte for byte (sorted keys, `value` absent when nil);
    /// a value the protocol cannot write (not finite) takes the generic path, which makes the data `null`.
    public var encodedData: [UInt8] {
        guard detail.value?.isFinite ?? true else { return LineCoding.encodedData(self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + chair.utf8.count)
        bytes += #"{"chair":"#.utf8
        JSONText.appendString(chair, to: &bytes)
        bytes += #","detail":{"flags":["#.utf8
        for (index, flag) in detail.flags.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendString(flag.rawValue, to: &bytes)
        }
        bytes += #"],"parameter":"#.utf8
        JSONText.appendString(detail.parameter.rawValue, to: &bytes)
        bytes += #","time":"#.utf8
        JSONText.appendString(detail.time.description, to: &bytes)
        if let value = detail.value {
            bytes += #","value":"#.utf8
            _ = JSONText.appendDouble(value, to: &bytes)
        }
        bytes += "}}".utf8
        return bytes
    }
}
