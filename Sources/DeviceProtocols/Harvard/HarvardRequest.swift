/// A Harvard command addressed on a pump chain: a non-zero address goes before the command
/// with a colon (`12:irate 3.2 ul/min`); address 0 or none sends the bare command.
public struct HarvardRequest: Hashable, Sendable {
    public var address: UInt8?
    /// Nil when the line was not a command the pump recognises.
    public var command: HarvardCommand?

    public init(address: UInt8?, command: HarvardCommand?) {
        self.address = address
        self.command = command
    }

    /// Whether the pump at `address` acts on this request.
    public func isAddressed(to pumpAddress: UInt8) -> Bool {
        (address ?? 0) == pumpAddress
    }

    /// The bytes the host sends, ending in CR; nil when the command's numbers cannot be written.
    public var encoded: [UInt8]? {
        guard let text = command?.text else { return nil }
        let prefix = address.flatMap { $0 == 0 ? nil : "\($0):" } ?? ""
        return Array((prefix + text).utf8) + [0x0D]
    }

    /// Parses one line as the pump reads it: optional `<digits>:` address, then the command.
    public init(line: some StringProtocol) {
        var body = Substring(line)
        let digits = body.prefix(3).prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, body.dropFirst(digits.count).first == ":", let value = UInt8(digits), value <= 99 {
            address = value
            body = body.dropFirst(digits.count + 1)
        } else {
            address = nil
        }
        command = HarvardCommand(line: body)
    }
}
