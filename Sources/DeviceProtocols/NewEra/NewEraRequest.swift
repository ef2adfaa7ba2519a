/// A command addressed to one pump, as the host sends it and the simulator receives it.
public struct NewEraRequest: Hashable, Sendable {
    /// Who the command is for, as written before the command text.
    public enum Addressing: Hashable, Sendable {
        /// No prefix: the pump at address 0 answers (labmcp's reading of the manual, an inference).
        case unaddressed
        /// One or two decimal digits.
        case pump(UInt8)
        /// `*`: a system command every pump accepts regardless of its address.
        case system
    }

    public var addressing: Addressing
    /// The command, or nil when the text was not a command the pump recognises (it answers `?`).
    public var command: NewEraCommand?

    /// A request to the pump at `address`; system commands get the `*` prefix whatever the address.
    public init(address: UInt8?, command: NewEraCommand) {
        if command.isSystemCommand {
            addressing = .system
        } else if let address {
            addressing = .pump(address)
        } else {
            addressing = .unaddressed
        }
        self.command = command
    }

    /// The text the host sends: address prefix then command.
    public var text: String {
        let prefix: String
        switch addressing {
        case .unaddressed: prefix = ""
        case .pump(let address): prefix = String(address)
        case .system: prefix = "*"
        }
        return prefix + (command?.text ?? "")
    }

    /// The request framed for the wire.
    public func encoded(_ framing: NewEraFraming) -> [UInt8] {
        framing.commandBytes(text)
    }

    /// Whether the pump at `address` must act on this request.
    public func isAddressed(to address: UInt8) -> Bool {
        switch addressing {
        case .unaddressed: address == 0
        case .pump(let target): target == address
        case .system: true
        }
    }

    /// Parses command text the way the pump does: spaces and control characters are dropped,
    /// letters upper-cased, then an optional `*` or one or two address digits.
    public init(parsing raw: some Sequence<UInt8>) {
        let cleaned = raw.compactMap { byte -> UInt8? in
            guard byte > 0x20, byte < 0x7F else { return nil }
            return (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
        }
        var body = Substring(String(decoding: cleaned, as: UTF8.self))
        if body.first == "*" {
            addressing = .system
            body = body.dropFirst()
        } else {
            let digits = body.prefix(2).prefix { $0.isASCII && $0.isNumber }
            if let address = UInt8(digits) {
                addressing = .pump(address)
                body = body.dropFirst(digits.count)
            } else {
                addressing = .unaddressed
            }
        }
        command = NewEraCommand(text: body)
    }
}
